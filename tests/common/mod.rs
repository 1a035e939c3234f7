//! Helpers shared by the integration tests that run the binary.

// Each test binary compiles this module and uses only some of it.
#![allow(dead_code)]

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
