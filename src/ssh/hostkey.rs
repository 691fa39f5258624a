//! The server's ed25519 host key: made once, kept in a file only its owner
//! can read, and used at every start, so clients see the same fingerprint
//! (and `StrictHostKeyChecking=yes` keeps passing) after a restart. Its
//! public half is kept beside it as `KEY.pub` (OpenSSH's format), for the
//! operator to hand to users (`ssh-keygen -lf KEY.pub`, known_hosts).

use std::io::{Read, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use russh::keys::ssh_key::LineEnding;
use russh::keys::ssh_key::private::Ed25519Keypair;
use russh::keys::{HashAlg, PrivateKey};

use crate::i18n::{Lang, Localized};

/// Where the host key lives when no `--host-key` is given: beside the
/// database directory, never inside it (the store owns that directory).
pub fn default_path(db: &Path) -> PathBuf {
    beside(db, "ssh_host_ed25519_key")
}

/// A file next to the database directory, named after it: `DB.ending`.
pub fn beside(db: &Path, ending: &str) -> PathBuf {
    let name = db.file_name().map(|n| n.to_string_lossy().into_owned());
    let name = name.unwrap_or_else(|| "qiangji".into());
    db.with_file_name(format!("{name}.{ending}"))
}

/// The key at `path`, made there first if there is none; its `.pub` is
/// written beside it when missing or not this key's (a key made by hand or
/// by an older qiangji has none). A `.pub` that cannot be written is logged,
/// not fatal: the server needs only the private key.
pub fn load_or_create(path: &Path, lang: Lang) -> Result<PrivateKey, String> {
    let key = load_or_make(path, lang)?;
    if let Err(e) = keep_public(&key, path) {
        tracing::warn!(file = %public_path(path).display(), error = %e, "cannot write the host key's .pub");
    }
    Ok(key)
}

/// `KEY.pub` beside `KEY`, as ssh-keygen names it.
pub fn public_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(".pub");
    PathBuf::from(name)
}

/// The public key in OpenSSH's one-line format.
pub fn public_line(key: &PrivateKey) -> Result<String, String> {
    let mut public = key.public_key().clone();
    public.set_comment("qiangji host key");
    public
        .to_openssh()
        .map(|line| format!("{line}\n"))
        .map_err(|e| e.to_string())
}

/// Writes `KEY.pub` unless it already holds this key.
fn keep_public(key: &PrivateKey, path: &Path) -> Result<(), String> {
    let target = public_path(path);
    if std::fs::metadata(&target).is_ok_and(|m| !m.is_file()) {
        // A pipe would block the start; a device is not ours to write.
        return Err("not a regular file".into());
    }
    // Whatever is there is read as a user's file: a pipe or device named
    // KEY.pub must not block or fill the server's start.
    let kept = crate::user_file::read_text(&target, crate::user_file::limit::KEYS)
        .ok()
        .and_then(|text| russh::keys::PublicKey::from_openssh(text.trim()).ok());
    if kept.is_some_and(|k| k.key_data() == key.public_key().key_data()) {
        return Ok(());
    }
    crate::atomic_file::write(&target, public_line(key)?.as_bytes()).map_err(|e| e.to_string())?;
    tracing::info!(file = %target.display(), "host key's .pub written");
    Ok(())
}

fn load_or_make(path: &Path, lang: Lang) -> Result<PrivateKey, String> {
    let fail = |what: &str, e: &dyn std::fmt::Display| {
        format!(
            "{} {}: {what}: {e}",
            lang.pick("主机密钥", "host key"),
            path.display()
        )
    };
    if path.exists() {
        // A regular file of a few hundred bytes: never a pipe or device.
        let text = crate::user_file::read_text(path, crate::user_file::limit::KEYS)
            .map_err(|e| fail(lang.pick("读不到", "cannot be read"), &e.localized(lang)))?;
        let mode = std::fs::metadata(path)
            .map_err(|e| fail(lang.pick("读不到", "cannot be read"), &e))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(fail(
                lang.pick(
                    "其他用户可读，请 chmod 600",
                    "readable by others; chmod 600 it",
                ),
                &format!("{:o}", mode & 0o777),
            ));
        }
        return PrivateKey::from_openssh(text.as_bytes()).map_err(|e| {
            fail(
                lang.pick("不是 OpenSSH 私钥", "not an OpenSSH private key"),
                &e,
            )
        });
    }
    let mut seed = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut seed))
        .map_err(|e| fail(lang.pick("无法生成", "cannot be made"), &e))?;
    let key = PrivateKey::from(Ed25519Keypair::from_seed(&seed));
    let text = key
        .to_openssh(LineEnding::LF)
        .map_err(|e| fail(lang.pick("无法生成", "cannot be made"), &e))?;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()).and_then(|()| f.sync_all()))
        .map_err(|e| fail(lang.pick("无法写入", "cannot be written"), &e))?;
    tracing::info!(path = %path.display(), fingerprint = %fingerprint(&key), "host key made");
    Ok(key)
}

pub fn fingerprint(key: &PrivateKey) -> String {
    key.public_key().fingerprint(HashAlg::Sha256).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_half_is_kept_beside_in_openssh_format_even_for_an_old_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ssh_host_ed25519_key");
        let key = load_or_create(&path, Lang::En).unwrap();
        let public = dir.path().join("ssh_host_ed25519_key.pub");
        let text = std::fs::read_to_string(&public).unwrap();
        assert!(text.starts_with("ssh-ed25519 "), "{text}");
        let parsed = russh::keys::PublicKey::from_openssh(text.trim()).unwrap();
        assert_eq!(
            parsed.fingerprint(HashAlg::Sha256).to_string(),
            fingerprint(&key)
        );
        let mode = std::fs::metadata(&public).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644);
        // A key made before .pub files were written (or by hand): its .pub
        // appears at the next start; a wrong one is replaced.
        std::fs::remove_file(&public).unwrap();
        load_or_create(&path, Lang::En).unwrap();
        assert_eq!(std::fs::read_to_string(&public).unwrap(), text);
        std::fs::write(
            &public,
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl x\n",
        )
        .unwrap();
        load_or_create(&path, Lang::En).unwrap();
        assert_eq!(std::fs::read_to_string(&public).unwrap(), text);
    }

    #[test]
    fn the_key_is_made_once_private_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        let first = load_or_create(&path, Lang::En).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let again = load_or_create(&path, Lang::En).unwrap();
        assert_eq!(fingerprint(&first), fingerprint(&again));
        assert!(fingerprint(&first).starts_with("SHA256:"));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(
            load_or_create(&path, Lang::En)
                .unwrap_err()
                .contains("chmod 600")
        );
    }
}
