//! Every file the tool writes goes through here: cleaned text and JSONL under `-o`, `--in-place`
//! rewrites, quarantined copies, the `--report` file, and the files of `mine -o` and `train -o`.
//!
//! An [`Output`] is a temporary file in the target's directory, named `.boilerstrip-tmp-PID-XXXXXX`
//! (the writing process's id, six random letters or digits), written (or streamed into), then
//! renamed over the target by [`Output::commit`]. No reader ever sees a partial file; a write
//! that fails or is abandoned (dropped, or stopped by a signal) removes its temporary file and
//! leaves the target as it was.
//!
//! A new file is created with mode 0666, which the kernel reduces by the process's umask as for
//! any new file (0644 under the usual umask 022): the umask is never read or changed. A file
//! rewritten in place keeps its permissions, and its owner and group where the process may set
//! them (root may; another user may keep a group it belongs to).

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use super::interrupt;

/// How the name of every temporary file begins.
pub const TEMP_PREFIX: &str = ".boilerstrip-tmp-";

/// Random letters and digits that end a temporary file's name.
const RANDOM_CHARS: usize = 6;

/// A file being written: renamed into place by [`Output::commit`], removed if dropped first.
pub struct Output {
    tmp: NamedTempFile,
    path: PathBuf,
    /// Replacing the file at `path`: keep its permissions, owner and group.
    in_place: bool,
}

impl Output {
    /// Start writing a new file at `path` (its directory must exist), mode 0666 less the umask.
    pub fn create(path: &Path) -> io::Result<Output> {
        let dir = directory(path);
        let mut builder = tempfile::Builder::new();
        let prefix = format!("{TEMP_PREFIX}{}-", std::process::id());
        builder.prefix(&prefix).rand_bytes(RANDOM_CHARS);
        // The kernel applies the umask to this mode, as to any new file (tempfile's own default
        // is 0600).
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        Ok(Output {
            tmp: builder.tempfile_in(dir)?,
            path: path.to_path_buf(),
            in_place: false,
        })
    }

    /// Start rewriting the file at `path`, which keeps its permissions, owner and group.
    pub fn replace(path: &Path) -> io::Result<Output> {
        let mut output = Output::create(path)?;
        output.in_place = true;
        Ok(output)
    }

    /// The temporary file, to write into.
    pub fn file(&self) -> &File {
        self.tmp.as_file()
    }

    /// Rename the file into place; in place, give it the original's owner, group and
    /// permissions first. Nothing is renamed once a signal has come: the temporary file is
    /// removed and an `Interrupted` error returned.
    pub fn commit(self) -> io::Result<()> {
        if self.in_place {
            let original = fs::metadata(&self.path)?;
            keep_owner(self.tmp.as_file(), &original)?;
            // After the owner: changing it may clear the set-user-id and set-group-id bits.
            self.tmp.as_file().set_permissions(original.permissions())?;
        }
        if interrupt::interrupted().is_some() {
            return Err(interrupt::error());
        }
        self.tmp.persist(&self.path).map_err(|e| e.error)?;
        Ok(())
    }
}

/// Write `bytes` to a new file at `path` (its directory must exist) through an [`Output`].
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let output = Output::create(path)?;
    output.file().write_all(bytes)?;
    output.commit()
}

/// The directory a file is written in.
pub fn directory(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// Give `file` the owner and group of `original`, as far as the process may: if it may not
/// give the owner (EPERM; or EINVAL, an id that this user namespace cannot map), it tries the
/// group alone; if it may not give that either, the file keeps the process's own, silently.
#[cfg(unix)]
fn keep_owner(file: &File, original: &fs::Metadata) -> io::Result<()> {
    use std::os::unix::fs::{fchown, MetadataExt};
    let mine = file.metadata()?;
    if (mine.uid(), mine.gid()) == (original.uid(), original.gid()) {
        return Ok(());
    }
    let not_permitted = |err: &io::Error| {
        matches!(
            err.kind(),
            io::ErrorKind::PermissionDenied | io::ErrorKind::InvalidInput
        )
    };
    match fchown(file, Some(original.uid()), Some(original.gid())) {
        Err(err) if not_permitted(&err) => match fchown(file, None, Some(original.gid())) {
            Err(err) if not_permitted(&err) => Ok(()),
            done => done,
        },
        done => done,
    }
}

#[cfg(not(unix))]
fn keep_owner(_: &File, _: &fs::Metadata) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_are_written_whole_under_a_recognized_name() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("a.txt");
        let output = Output::create(&path).unwrap();
        let name = output.tmp.path().file_name().unwrap().to_string_lossy();
        let want = format!("{TEMP_PREFIX}{}-", std::process::id());
        assert!(name.starts_with(&want), "{name}");
        output.file().write_all(b"text\n").unwrap();
        output.commit().unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"text\n");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "{names:?}");
        // Dropped before its commit: nothing is left.
        drop(Output::create(&dir.path().join("b.txt")).unwrap());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
