//! Every file the tool writes goes through here: cleaned text and JSONL under `-o`, `--in-place`
//! rewrites, quarantined copies, the `--report` file, and the files of `mine -o` and `train -o`.
//!
//! An [`Output`] is a temporary file in the target's directory, named
//! `.boilerstrip-tmp-PID-XXXXXX` (the writing process's id, six random letters or digits),
//! written (or streamed into), then renamed over the target by [`Output::commit`]. No reader
//! ever sees a partial file; a write that fails or is abandoned (dropped, or stopped by a
//! signal) removes its temporary file and leaves the target as it was. An output under `-o` is
//! checked just before its rename for a directory turned into a symbolic link that leads out of
//! the output directory ([`refuse_links_out`]).
//!
//! A new file is created with mode 0666, which the kernel reduces by the process's umask as for
//! any new file (0644 under the usual umask 022): the umask is never read or changed. A file
//! rewritten in place keeps its permissions, and its owner and group where the process may set
//! them (root may; another user may keep a group it belongs to).
//!
//! A run killed outright (SIGKILL, a crash, a power cut) cannot remove its temporary files. The
//! first time a process writes into a directory, it removes the temporary files of this tool
//! there that are stale (see [`is_stale`]): nothing else, and nowhere else.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex};
use std::time::Duration;

use tempfile::NamedTempFile;

use super::compression::{self, Compression};
use super::interrupt;

/// How the name of every temporary file begins.
pub const TEMP_PREFIX: &str = ".boilerstrip-tmp-";

/// Random letters and digits that end a temporary file's name.
const RANDOM_CHARS: usize = 6;

/// A temporary file of a process that no longer runs is removed once it is this old. A run
/// writes into its temporary files as it goes, so a live run's are fresh even where its process
/// cannot be seen (another PID namespace on a shared disk).
const STALE_AFTER: Duration = Duration::from_secs(60 * 60);

/// A file being written: renamed into place by [`Output::commit`], removed if dropped first.
pub struct Output {
    tmp: NamedTempFile,
    path: PathBuf,
    /// The directory that `path` must stay inside when it is renamed into place.
    root: Option<Root>,
    /// Replacing the file at `path`: keep its permissions, owner and group.
    in_place: bool,
}

/// A directory that outputs must stay inside (`-o DIR`): as named, and resolved.
#[derive(Debug, Clone)]
pub struct Root {
    named: PathBuf,
    resolved: PathBuf,
}

impl Root {
    /// The directory `named`, which must exist.
    pub fn new(named: &Path) -> io::Result<Root> {
        Ok(Root {
            named: named.to_path_buf(),
            resolved: fs::canonicalize(named)?,
        })
    }

    /// The directory, resolved (symbolic links followed).
    pub fn resolved(&self) -> &Path {
        &self.resolved
    }
}

/// The tree of outputs under `-o DIR` (or, without `-o`, wherever outputs go): every file is
/// written through an [`Output`], kept inside DIR.
pub struct Tree {
    /// The output directory: nothing is written outside it.
    root: Option<Root>,
    /// Directories that [`Tree::confine`] has created or found, and checked: a directory of
    /// many outputs is checked once, not with a dozen system calls per file.
    confined: Mutex<HashSet<PathBuf>>,
}

impl Tree {
    /// The outputs under `dir` (`-o DIR`, which exists), or anywhere.
    pub fn new(dir: Option<&Path>) -> Tree {
        Tree {
            root: dir.and_then(|dir| Root::new(dir).ok()),
            confined: Mutex::default(),
        }
    }

    /// Start writing the file at `path`, in a directory created and checked if need be
    /// ([`Tree::confine`]), kept inside the output directory until it is renamed into place.
    pub fn create(&self, path: &Path) -> io::Result<Output> {
        self.confine(path)?;
        Ok(Output::create(path)?.inside(self.root.as_ref()))
    }

    /// Write `bytes` to `path`, compressed as the file's name says (`.gz`, `.zst`): a compressed
    /// input mirrored under `-o` keeps its name and its compression.
    pub fn write(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        self.confine(path)?;
        let packed = compression::pack(bytes, Compression::of_name(path))?;
        write_inside(path, self.root.as_ref(), &packed)
    }

    /// Check that writing `path` stays inside the output directory: its directory, resolved
    /// (symbolic links followed), must be under the resolved output directory. Input names
    /// cannot lead out (they are paths relative to an input directory, or bare file names), but
    /// a symbolic link left inside the output directory could. The nearest existing ancestor is
    /// checked before any directory is created, and the directory again once it exists. The
    /// directory is created if need be; each directory is checked once a run (and each file
    /// again, more cheaply, just before its rename: [`output::refuse_links_out`]).
    pub fn confine(&self, path: &Path) -> io::Result<()> {
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        if self.confined.lock().expect("never poisoned").contains(dir) {
            return Ok(());
        }
        match &self.root {
            Some(root) => create_inside(dir, root.resolved())?,
            None => fs::create_dir_all(dir)?,
        }
        self.confined
            .lock()
            .expect("never poisoned")
            .insert(dir.to_path_buf());
        Ok(())
    }
}

/// Create `dir` if need be, provided that it stays under `root` (resolved).
fn create_inside(dir: &Path, root: &Path) -> io::Result<()> {
    let outside = || {
        io::Error::other(
            "its directory resolves outside the output directory (a symbolic link?); not \
             written",
        )
    };
    let existing = dir
        .ancestors()
        .find(|a| a.exists())
        .unwrap_or(Path::new("."));
    if !fs::canonicalize(existing)?.starts_with(root) {
        return Err(outside());
    }
    fs::create_dir_all(dir)?;
    if !fs::canonicalize(dir)?.starts_with(root) {
        return Err(outside());
    }
    Ok(())
}

impl Output {
    /// Start writing a new file at `path` (its directory must exist), mode 0666 less the umask.
    pub fn create(path: &Path) -> io::Result<Output> {
        let dir = directory(path);
        sweep_once(dir);
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
            root: None,
            in_place: false,
        })
    }

    /// Start rewriting the file at `path`, which keeps its permissions, owner and group.
    pub fn replace(path: &Path) -> io::Result<Output> {
        let mut output = Output::create(path)?;
        output.in_place = true;
        Ok(output)
    }

    /// Refuse to rename into place through a symbolic link that leads outside `root` (the
    /// check of [`refuse_links_out`]).
    pub fn inside(mut self, root: Option<&Root>) -> Output {
        self.root = root.cloned();
        self
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
        if let Some(root) = &self.root {
            refuse_links_out(root, &self.path)?;
        }
        self.tmp.persist(&self.path).map_err(|e| e.error)?;
        Ok(())
    }
}

/// Write `bytes` to a new file at `path` (its directory must exist) through an [`Output`].
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_inside(path, None, bytes)
}

/// [`write`], kept inside `root` (see [`Output::inside`]).
pub fn write_inside(path: &Path, root: Option<&Root>, bytes: &[u8]) -> io::Result<()> {
    let output = Output::create(path)?.inside(root);
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

/// Fail if a directory of `path` below `root` is a symbolic link that leads outside `root`.
/// Outputs are placed under the output directory by a check made once per directory; a
/// directory replaced by such a link after that would lead the rename elsewhere, so each file
/// is checked again just before its rename: one `lstat` per directory between `root` and the
/// file (a link is then resolved). `root` itself may be a link (the user named it), and so may
/// the file's own name, which a rename replaces and never follows. A link that stays inside
/// `root` is allowed, as it is when the directory is first checked.
pub fn refuse_links_out(root: &Root, path: &Path) -> io::Result<()> {
    let Ok(below) = path.strip_prefix(&root.named) else {
        return Err(io::Error::other(format!(
            "not under the output directory {}; not written",
            root.named.display()
        )));
    };
    let mut dir = root.named.clone();
    let mut components = below.components().peekable();
    while let Some(component) = components.next() {
        if components.peek().is_none() {
            break; // the file's own name
        }
        dir.push(component);
        if fs::symlink_metadata(&dir)?.file_type().is_symlink()
            && !fs::canonicalize(&dir)?.starts_with(&root.resolved)
        {
            return Err(io::Error::other(format!(
                "{} is a symbolic link that resolves outside the output directory; not written",
                dir.display()
            )));
        }
    }
    Ok(())
}

/// Remove the stale temporary files in `dir`, the first time this process writes there.
fn sweep_once(dir: &Path) {
    static SWEPT: LazyLock<Mutex<HashSet<PathBuf>>> = LazyLock::new(Mutex::default);
    if SWEPT
        .lock()
        .expect("never poisoned")
        .insert(dir.to_path_buf())
    {
        sweep(dir);
    }
}

/// Remove the stale temporary files of this tool in `dir` (not below it). Whatever cannot be
/// read or removed is left; a sweep never fails a write.
fn sweep(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = temp_file_pid(&name) else {
            continue;
        };
        // The entry itself, not what a link points to.
        let Ok(meta) = entry.metadata() else {
            continue;
        };
        if is_stale(pid, &meta) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// A temporary file of this tool is stale when it is a regular file, the process that made it
/// is not running (as far as `/proc` shows), and it has not been written to for an hour.
fn is_stale(pid: u32, meta: &fs::Metadata) -> bool {
    let idle = meta
        .modified()
        .ok()
        .and_then(|modified| modified.elapsed().ok())
        .is_some_and(|idle| idle > STALE_AFTER);
    meta.is_file() && idle && !is_running(pid)
}

/// Whether process `pid` runs, as far as can be seen: without `/proc`, it is taken not to (and
/// only the age of its files protects them).
fn is_running(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc = Path::new("/proc");
    proc.join("self").exists() && proc.join(pid.to_string()).exists()
}

/// Whether `name` is that of a temporary file of this tool (`.boilerstrip-tmp-PID-XXXXXX`).
pub fn is_temp_file(name: &std::ffi::OsStr) -> bool {
    temp_file_pid(name).is_some()
}

/// The process id in the name of a temporary file of this tool
/// (`.boilerstrip-tmp-PID-XXXXXX`), or `None` if `name` is not exactly such a name.
fn temp_file_pid(name: &std::ffi::OsStr) -> Option<u32> {
    let rest = name.to_str()?.strip_prefix(TEMP_PREFIX)?;
    let (pid, random) = rest.split_once('-')?;
    let digits = !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit());
    let random_ok =
        random.len() == RANDOM_CHARS && random.bytes().all(|b| b.is_ascii_alphanumeric());
    match digits && random_ok {
        true => pid.parse().ok(),
        false => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_exact_temporary_file_names_are_recognized() {
        let cases = [
            (".boilerstrip-tmp-123-aB3xZ9", Some(123)),
            (".boilerstrip-tmp-1-000000", Some(1)),
            (".boilerstrip-tmp-123-aB3xZ", None),
            (".boilerstrip-tmp-123-aB3xZ99", None),
            (".boilerstrip-tmp-123-aB3x.9", None),
            (".boilerstrip-tmp--aB3xZ9", None),
            (".boilerstrip-tmp-12a-aB3xZ9", None),
            (".boilerstrip-tmp-aB3xZ9", None),
            (".boilerstrip-tmp-123-aB3xZ9.txt", None),
            (".boilerstrip-abc123.tmp", None),
            ("boilerstrip-tmp-123-aB3xZ9", None),
            ("a.txt", None),
        ];
        for (name, want) in cases {
            assert_eq!(temp_file_pid(name.as_ref()), want, "{name}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_directory_below_the_root_linked_outside_it_is_refused() {
        use std::os::unix::fs::symlink;
        let tmp = tempfile::TempDir::new().unwrap();
        let out = tmp.path().join("out");
        let elsewhere = tmp.path().join("elsewhere");
        fs::create_dir_all(out.join("real/deeper")).unwrap();
        fs::create_dir_all(&elsewhere).unwrap();
        symlink(&elsewhere, out.join("link")).unwrap();
        symlink(&elsewhere, out.join("real/inner")).unwrap();
        symlink(&elsewhere, out.join("real/file.txt")).unwrap();
        symlink(out.join("real"), out.join("inside")).unwrap();
        // The output directory named through a link of its own.
        let out_link = tmp.path().join("out-link");
        symlink(&out, &out_link).unwrap();
        let cases = [
            (&out, "a.txt", true),
            (&out, "real/a.txt", true),
            (&out, "real/deeper/a.txt", true),
            // The file's own name is replaced by the rename, never followed.
            (&out, "real/file.txt", true),
            // A link that stays inside is allowed, as the first check of a directory allows it.
            (&out, "inside/deeper/a.txt", true),
            (&out, "link/a.txt", false),
            (&out, "real/inner/a.txt", false),
            (&out, "real/inner/sub/a.txt", false),
            (&out, "inside/inner/a.txt", false),
            (&out_link, "real/a.txt", true),
            (&out_link, "link/a.txt", false),
        ];
        for (named, relative, allowed) in cases {
            let root = Root::new(named).unwrap();
            let got = refuse_links_out(&root, &named.join(relative));
            assert_eq!(got.is_ok(), allowed, "{relative} under {named:?}: {got:?}");
            if let Err(err) = got {
                assert!(err.to_string().contains("symbolic link"), "{err}");
            }
        }
        // A path that is not under the directory at all is refused too.
        let root = Root::new(&out).unwrap();
        assert!(refuse_links_out(&root, &elsewhere.join("a.txt")).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_rename_through_a_directory_swapped_for_a_link_is_refused() {
        let tmp = tempfile::TempDir::new().unwrap();
        let out = tmp.path().join("out");
        let elsewhere = tmp.path().join("elsewhere");
        fs::create_dir_all(out.join("sub")).unwrap();
        fs::create_dir_all(&elsewhere).unwrap();
        let root = Root::new(&out).unwrap();
        // The directory was checked (`Shared::confine`), then swapped for a link: the
        // temporary file is made through the link, outside, and would be renamed there.
        fs::rename(out.join("sub"), tmp.path().join("moved")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("sub")).unwrap();
        let output = Output::create(&out.join("sub/a.txt")).unwrap();
        let output = output.inside(Some(&root));
        output.file().write_all(b"text\n").unwrap();
        let err = output.commit().unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        // Nothing is left outside: the temporary file is removed.
        let left: Vec<_> = fs::read_dir(&elsewhere).unwrap().collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn outputs_are_written_whole_under_a_recognized_name() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("a.txt");
        let output = Output::create(&path).unwrap();
        let name = output.tmp.path().file_name().unwrap().to_owned();
        assert_eq!(temp_file_pid(&name), Some(std::process::id()));
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
