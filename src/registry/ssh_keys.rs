//! SSH public keys as users hand them over: one line of an OpenSSH
//! `authorized_keys` file (options allowed in front) or a `.pub` file, parsed
//! with the `ssh-key` crate. A key is known by its SHA256 fingerprint, written
//! as OpenSSH prints it (`SHA256:` and unpadded base64), which is what the
//! SSH server looks a user up by.

use std::str::FromStr;

// The key types of the SSH library the server already uses: one version of
// ssh-key (and of its RSA and elliptic-curve crates) in the build, not two.
use russh::keys::ssh_key;

use crate::domain::UserKey;
use crate::i18n::{Lang, Localized};

/// The longest comment kept from a key line.
const MAX_COMMENT: usize = 100;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error(
        "line {line}: not an OpenSSH public key (expected e.g. \"ssh-ed25519 AAAA... comment\")"
    )]
    Unreadable { line: usize },
    #[error("line {line}: {algorithm} keys are too weak to accept; use ssh-ed25519")]
    Weak { line: usize, algorithm: String },
    #[error("no public key given (the file holds no key lines)")]
    Empty,
}

impl Localized for KeyError {
    fn localized(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (KeyError::Unreadable { line }, Lang::Zh) => {
                format!("第 {line} 行不是 OpenSSH 公钥（应形如 \"ssh-ed25519 AAAA... 备注\"）")
            }
            (KeyError::Weak { line, algorithm }, Lang::Zh) => {
                format!("第 {line} 行：{algorithm} 密钥强度不足，不予接受；请使用 ssh-ed25519")
            }
            (KeyError::Empty, Lang::Zh) => "没有给出公钥（文件中没有公钥行）".into(),
        }
    }
}

/// One key line: `[options] algorithm base64 [comment]`. `line` numbers the
/// line in messages.
pub fn parse_line(text: &str, line: usize) -> Result<UserKey, KeyError> {
    let text = text.trim().trim_start_matches('\u{feff}');
    let unreadable = KeyError::Unreadable { line };
    // A private key pasted by mistake is never echoed back.
    if text.is_empty() || text.contains("PRIVATE KEY") {
        return Err(unreadable);
    }
    let public = match ssh_key::PublicKey::from_openssh(text) {
        Ok(k) => k,
        Err(_) => ssh_key::authorized_keys::Entry::from_str(text)
            .map_err(|_| unreadable.clone())?
            .public_key()
            .clone(),
    };
    let algorithm = public.algorithm().as_str().to_string();
    if algorithm == "ssh-dss" {
        return Err(KeyError::Weak { line, algorithm });
    }
    if let ssh_key::public::KeyData::Rsa(rsa) = public.key_data()
        && rsa.n().as_positive_bytes().map_or(0, |b| b.len() * 8) < 2048
    {
        return Err(KeyError::Weak {
            line,
            algorithm: "ssh-rsa < 2048 bits".into(),
        });
    }
    let bare = ssh_key::PublicKey::new(public.key_data().clone(), "");
    let public_text = bare
        .to_openssh()
        .map_err(|_| unreadable.clone())?
        .trim()
        .to_string();
    let comment: String = String::from_utf8_lossy(public.comment().as_bytes())
        .chars()
        .filter(|c| !c.is_control() && !crate::domain::chars::is_invisible(*c))
        .take(MAX_COMMENT)
        .collect();
    Ok(UserKey {
        fingerprint: public.fingerprint(ssh_key::HashAlg::Sha256).to_string(),
        public: public_text,
        comment: comment.trim().to_string(),
    })
}

/// Every key of an `authorized_keys` or `.pub` file: blank lines and `#`
/// comments are skipped; any other line that is not a key is an error.
pub fn parse_file(text: &str) -> Result<Vec<UserKey>, KeyError> {
    let mut keys = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        keys.push(parse_line(t, i + 1)?);
    }
    if keys.is_empty() {
        return Err(KeyError::Empty);
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key made for these tests (`ssh-keygen -t ed25519`), with the
    /// fingerprint `ssh-keygen -lf` printed for it.
    const ED25519: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK/dEorfbQQE+KGC3WFMNhgE7GrbVnfBVoxXlTJLG73s test@qiangji";
    const ED25519_FP: &str = "SHA256:sGQaF5GnmA+YtHyPYg9TLCFwqXBJhM1gTJsxD1Q4wsk";
    const RSA: &str = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQCk2melfIdzwsZoIvLdp6J1RhSfpOk1w27PFNqpelHxbFUysrn24LYWO/nabyDya6WcbqRmMSr9B0fPoidva5opXALbdnLnWfLXyhr7lQDDKHbpi+M2/oXvflEBvmp0y88vNgSU13p6eMmg9ZFPiap+ZSuAYaeOL0jVB3706Nl2LhfFEwM7klUq9Cq0xzxf7MkVaDSQ3FKBUM/MbjbY2Ucn3zZbirfqqdU25VBqHio6bXFpZ9bEZHvP5CfbXdHAQb3Hy3iLsF8MT0zGt0ts6aI0npA3ctJLY9KJp6FH6zuGXDoKkeNvGw8e3L3CxtslarkeRU0aT0MSpxnwnW4Z0GPCOpDqbC4s4W0T0p0fOC38Y2DgjNfRyklffRMJ8Sk7eBt2PFqwhKJXLBZTNsEAkV8Aamgy+peU6nJrXhwFiInKK7e+9AeGyWI8ZGvGjMs4Vux99/hHxdXT83Wn3xQu4eXkeoCeyHeeOsRiRfaReqv8TDmQnOQHkU7S65VwGHwj6ck= rsa@x";
    const RSA_FP: &str = "SHA256:wb8LPvwYKbLBQ1PMBYzO9RkYwOcUnRgXpx5Ece//70w";
    const ECDSA: &str = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBMscNk72gKa9duIUvHMjuP4oB6+kfED4F7vOj4DCsZpGz6ELJAqeXPdjDOhFfCTkC8v8GGUWpX7GSQyqRNM/X3c= ec@x";
    const ECDSA_FP: &str = "SHA256:VWVBbXXaJjDy8LOqnEVcmh9rFx0j152VSBmGmfCcX9w";

    #[test]
    fn fingerprints_are_the_ones_ssh_keygen_prints() {
        for (line, fp) in [(ED25519, ED25519_FP), (RSA, RSA_FP), (ECDSA, ECDSA_FP)] {
            assert_eq!(parse_line(line, 1).unwrap().fingerprint, fp, "{line}");
        }
    }

    #[test]
    fn a_pub_line_and_an_authorized_keys_line_give_one_fingerprint() {
        let a = parse_line(ED25519, 1).unwrap();
        assert_eq!(a.fingerprint, ED25519_FP);
        assert_eq!(a.comment, "test@qiangji");
        assert_eq!(a.algorithm(), "ssh-ed25519");
        assert!(!a.public.contains("test@qiangji"));
        let with_options = format!("no-pty,from=\"10.0.0.1\" {ED25519}");
        assert_eq!(parse_line(&with_options, 1).unwrap(), a);
        let file = format!("# keys\n\n{ED25519}\n");
        assert_eq!(parse_file(&file).unwrap(), vec![a]);
    }

    #[test]
    fn garbage_is_refused_without_echo() {
        assert_eq!(
            parse_line("ssh-ed25519 notbase64", 3),
            Err(KeyError::Unreadable { line: 3 })
        );
        assert!(parse_line("-----BEGIN OPENSSH PRIVATE KEY-----", 1).is_err());
        assert_eq!(parse_file("# nothing\n"), Err(KeyError::Empty));
        assert_eq!(
            parse_file(&format!("{ED25519}\nhello\n")),
            Err(KeyError::Unreadable { line: 2 })
        );
        assert!(!KeyError::Empty.localized(Lang::Zh).is_empty());
    }

    /// A DSA key and an RSA key under 2048 bits are refused as weak, by
    /// name, whatever the SSH library's version parses them as. The keys
    /// are made of random numbers of the right sizes, so they only need to
    /// parse, never to sign.
    #[test]
    fn dsa_and_short_rsa_keys_are_refused_as_weak() {
        const DSS: &str = "ssh-dss AAAAB3NzaC1kc3MAAACBAKFwszg5JjBZ8owQXR+xfCOQwZLP06yUrw8h3bZsrUomjRFuzhc499k9nBckEeILj2sNVJtvA2daFgCjWgmZUNg29nXMgedO9ejiXZQO2QR1lTGYXV2dyfgYGOgRiS+QK9I/CCQSiy8zDFx/0KajpFBlEycOJp4NN/KnTeRS5rQ5AAAAFQCTvQTPD9Yw8fKdDamVP0jxoJ92tQAAAIEAj0IFtJB6cMMQEvA3tkzkIow4+ykY8TXSX1VyAzAYUMWjj9VHkjpzaZTjv5EaYdviLkQVi66XupTQ7agvj20FWE74qjiSJ2ZYHiehwIpqY+wk7eaka0yyQkoj1ZYiF76t28SWy46Blz4L7NewOJjRkPnr2swMseKcZYzaFJXmCvUAAACBAPrsvTib5Lz8SbZKCHLmzDq6vO0gV+4FzeAJAsd+v/IGhnNHIUzdIFWTDW6vFPRzPz59G/vHouogsvFMlC4FMZrLXHQnP5jid0y9h61ckKlYdAPkMOxmp4eV52HRdzGvEFBr8u/G+HcYbXawfoge0WKuLrFUfxUFJDS5td+ed2mx dss@x";
        const RSA_1024: &str = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDXCCD+EZpy0XTJ32rMARzdlHQDG38mFEuYKJ/NWaVKe7H+4I9XEkJCUFHBzNF/msrgH1BXygITXpKx0/KO3g16w7rqnhPe74arEDHQ9kbh9AoJfJdr9GxpfSyvgu7qy+Im6HVVV5D4LsHT/P8qOvTUawoY6IMOB7weOY8QEr1Kzw== small@x";
        assert_eq!(
            parse_line(DSS, 4),
            Err(KeyError::Weak {
                line: 4,
                algorithm: "ssh-dss".into()
            })
        );
        assert_eq!(
            parse_line(RSA_1024, 5),
            Err(KeyError::Weak {
                line: 5,
                algorithm: "ssh-rsa < 2048 bits".into()
            })
        );
    }
}
