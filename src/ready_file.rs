//! `--ready-file PATH`: once the binary listens, its base URL is written to a file, so a harness
//! that starts it with `--port 0` learns the port without parsing the banner (the Python and
//! JavaScript helpers in `clients/` wait for this file).
//!
//! The file is written atomically (a temporary file in the same directory, then a rename): a
//! reader finds no file or the whole line, never a part of it. It is removed again when the
//! server stops, unless another server has written it since.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// A ready file the server has written; dropping it removes the file.
#[derive(Debug)]
pub struct ReadyFile {
    path: PathBuf,
    contents: String,
}

/// The ready file could not be written (its directory is missing, say).
#[derive(Debug, thiserror::Error)]
#[error("cannot write the ready file {path}: {source}", path = .path.display())]
pub struct ReadyFileError {
    path: PathBuf,
    source: io::Error,
}

impl ReadyFile {
    /// Writes `url` and a newline to `path`, atomically.
    pub fn write(path: &Path, url: &str) -> Result<ReadyFile, ReadyFileError> {
        let contents = format!("{url}\n");
        let error = |source| ReadyFileError {
            path: path.to_path_buf(),
            source,
        };
        let name = path.file_name().ok_or_else(|| {
            error(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a file name",
            ))
        })?;
        // Beside the target, so that the rename stays on one file system and is atomic.
        let temp = path.with_file_name(format!(
            ".{}.{}.tmp",
            name.to_string_lossy(),
            std::process::id()
        ));
        if let Err(e) = fs::write(&temp, &contents).and_then(|()| fs::rename(&temp, path)) {
            let _ = fs::remove_file(&temp);
            return Err(error(e));
        }
        Ok(ReadyFile {
            path: path.to_path_buf(),
            contents,
        })
    }
}

impl Drop for ReadyFile {
    fn drop(&mut self) {
        // A stale URL would send the next harness to a server that is gone; another server's
        // URL is not ours to remove.
        if fs::read_to_string(&self.path).is_ok_and(|now| now == self.contents) {
            let _ = fs::remove_file(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("soteams-mock-ready-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn the_url_and_a_newline_are_written_and_no_temporary_file_is_left() {
        let dir = temp_dir("write");
        let path = dir.join("ready");
        let ready = ReadyFile::write(&path, "http://127.0.0.1:41234").unwrap();
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "http://127.0.0.1:41234\n"
        );
        let names: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["ready"], "only the ready file is in {dir:?}");
        drop(ready);
        assert!(!path.exists(), "dropping the guard removes the file");
    }

    #[test]
    fn an_existing_file_is_replaced() {
        let dir = temp_dir("replace");
        let path = dir.join("ready");
        fs::write(&path, "http://127.0.0.1:1\n").unwrap();
        let _ready = ReadyFile::write(&path, "http://127.0.0.1:2").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "http://127.0.0.1:2\n");
    }

    #[test]
    fn a_file_another_server_has_written_since_is_kept() {
        let dir = temp_dir("kept");
        let path = dir.join("ready");
        let ready = ReadyFile::write(&path, "http://127.0.0.1:1").unwrap();
        fs::write(&path, "http://127.0.0.1:2\n").unwrap();
        drop(ready);
        assert_eq!(fs::read_to_string(&path).unwrap(), "http://127.0.0.1:2\n");
    }

    #[test]
    fn a_missing_directory_is_an_error_that_names_the_path() {
        let dir = temp_dir("missing");
        let path = dir.join("no/such/dir/ready");
        let error = ReadyFile::write(&path, "http://127.0.0.1:1").unwrap_err();
        let message = error.to_string();
        assert!(
            message.starts_with("cannot write the ready file ") && message.contains("no/such/dir"),
            "{message}"
        );
    }
}
