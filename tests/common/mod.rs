//! Helpers shared by the integration tests that run the binary.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The `boilerstrip` binary of this build.
pub fn boilerstrip() -> Command {
    Command::cargo_bin("boilerstrip").unwrap()
}

/// Write `text` to `dir/name`, creating the folders on the way; returns the path.
pub fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, text).unwrap();
    path
}

/// A document with junk at both ends, and what cleaning it gives.
pub const DOC: &str = "Skip to content\n\nMayor Opens Bridge\n\nThe bridge opened on Monday.\n\nLeave a Reply\nNice!\n";
pub const CLEAN: &str = "Mayor Opens Bridge\n\nThe bridge opened on Monday.\n";

/// Every regular file under `dir` (temporary files included), relative, sorted.
pub fn tree(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_path_buf())
        .collect();
    files.sort();
    files
}

/// The `boilerstrip` binary of this build, run by `sh` under `umask MASK`.
pub fn boilerstrip_with_umask(mask: &str) -> Command {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("umask {mask} && exec \"$0\" \"$@\""))
        .arg(assert_cmd::cargo::cargo_bin("boilerstrip"));
    cmd
}

/// A file's permission bits (`0o644`).
#[cfg(unix)]
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    let meta = fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    meta.permissions().mode() & 0o7777
}

/// `bytes`, gzip-compressed.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// The bytes of gzip data (every member).
pub fn gunzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}
