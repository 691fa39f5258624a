//! What went wrong with the disk, in words a coordinator can act on. sled and
//! the standard library describe failures as `Os { code: 28, kind:
//! StorageFull }` or as internal states; users get one of these instead, and
//! the technical detail goes to the log only.

use crate::i18n::Lang;

/// The kind of environment problem behind a failed read or write. None of
/// these is damage: freeing space or fixing permissions makes the database
/// usable again, so the messages never say "restore from a backup".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IoProblem {
    DiskFull,
    PermissionDenied,
    ReadOnly,
    /// Anything else the operating system reported.
    Other,
}

impl IoProblem {
    pub fn of_io(e: &std::io::Error) -> IoProblem {
        use std::io::ErrorKind as K;
        // The raw codes first: EPERM (chattr +i) maps to PermissionDenied and
        // EDQUOT (a quota) is as good as a full disk for the user.
        match e.raw_os_error() {
            Some(28 | 122) => return IoProblem::DiskFull,
            Some(1 | 13) => return IoProblem::PermissionDenied,
            Some(30) => return IoProblem::ReadOnly,
            _ => {}
        }
        match e.kind() {
            K::StorageFull | K::QuotaExceeded => IoProblem::DiskFull,
            K::PermissionDenied => IoProblem::PermissionDenied,
            K::ReadOnlyFilesystem => IoProblem::ReadOnly,
            _ => IoProblem::Other,
        }
    }

    pub fn of_sled(e: &sled::Error) -> IoProblem {
        match e {
            sled::Error::Io(io) => IoProblem::of_io(io),
            _ => IoProblem::Other,
        }
    }

    /// sled sometimes panics on a failed write instead of returning the
    /// error; the panic message is all that is left to classify.
    pub fn of_message(message: &str) -> Option<IoProblem> {
        let m = message.to_ascii_lowercase();
        if m.contains("no space left") || m.contains("os error 28") || m.contains("storagefull") {
            Some(IoProblem::DiskFull)
        } else if m.contains("permission denied")
            || m.contains("operation not permitted")
            || m.contains("os error 13")
            || m.contains("os error 1)")
        {
            Some(IoProblem::PermissionDenied)
        } else if m.contains("read-only file system") || m.contains("os error 30") {
            Some(IoProblem::ReadOnly)
        } else {
            None
        }
    }

    /// What happened and what to do, without a path (callers add it).
    pub fn describe(self, lang: Lang) -> &'static str {
        match self {
            IoProblem::DiskFull => lang.pick(
                "磁盘已满；请腾出空间后重试",
                "the disk is full; free some space and try again",
            ),
            IoProblem::PermissionDenied => lang.pick(
                "没有读写权限；请检查文件的所有者、权限和属性（如 chattr +i）",
                "permission denied; check the files' owner, mode and attributes (e.g. chattr +i)",
            ),
            IoProblem::ReadOnly => lang.pick(
                "文件系统为只读；请在可写的位置操作",
                "the file system is read-only; use a writable location",
            ),
            IoProblem::Other => lang.pick(
                "读写磁盘时出错（详情见日志）",
                "a disk read or write failed (details in the log)",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_codes_become_plain_problems() {
        let full = std::io::Error::from_raw_os_error(28);
        assert_eq!(IoProblem::of_io(&full), IoProblem::DiskFull);
        let eperm = std::io::Error::from_raw_os_error(1);
        assert_eq!(IoProblem::of_io(&eperm), IoProblem::PermissionDenied);
        let rofs = std::io::Error::from_raw_os_error(30);
        assert_eq!(IoProblem::of_io(&rofs), IoProblem::ReadOnly);
        for lang in [Lang::Zh, Lang::En] {
            let text = IoProblem::DiskFull.describe(lang);
            assert!(!text.contains("Os {") && !text.contains("code"), "{text}");
        }
        assert_eq!(
            IoProblem::of_message(
                "called `Result::unwrap()` on an `Err` value: Os { code: 28, kind: StorageFull, message: \"No space left on device\" }"
            ),
            Some(IoProblem::DiskFull)
        );
    }
}
