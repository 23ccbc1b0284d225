//! Reading a file people carry: its size is capped before anything is read.

use std::io::Read;
use std::path::Path;

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{path} is a folder, not a file")]
    Folder { path: String },
    #[error("{path} is {len} bytes, more than the {cap} bytes allowed")]
    TooLarge { path: String, len: u64, cap: u64 },
    #[error("{path} grew beyond {cap} bytes while it was read")]
    Grew { path: String, cap: u64 },
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// Reads a file of at most `cap` bytes: a larger one is refused from its metadata, unread, and
/// never more than `cap + 1` bytes are taken (the file may grow while it is read).
pub fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    let shown = || path.display().to_string();
    let io = |source| ReadError::Io {
        path: shown(),
        source,
    };
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        // Windows does not open a folder as a file (access denied): say what it is.
        Err(_) if path.is_dir() => return Err(ReadError::Folder { path: shown() }),
        Err(e) => return Err(io(e)),
    };
    let meta = file.metadata().map_err(io)?;
    if meta.is_dir() {
        return Err(ReadError::Folder { path: shown() });
    }
    if meta.len() > cap {
        return Err(ReadError::TooLarge {
            path: shown(),
            len: meta.len(),
            cap,
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(cap + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > cap {
        return Err(ReadError::Grew { path: shown(), cap });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_over_its_cap_is_refused_unread_and_a_folder_is_not_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, [7u8; 10]).unwrap();
        assert_eq!(read_capped(&file, 10).unwrap(), vec![7u8; 10]);
        assert!(matches!(
            read_capped(&file, 9),
            Err(ReadError::TooLarge {
                len: 10,
                cap: 9,
                ..
            })
        ));
        assert!(matches!(
            read_capped(dir.path(), 9),
            Err(ReadError::Folder { .. })
        ));
        assert!(matches!(
            read_capped(&dir.path().join("missing"), 9),
            Err(ReadError::Io { .. })
        ));
    }
}
