//! Persistent storage of the card's state record (SPEC.md §10). A store either replaces the
//! whole record or leaves the old one: that is the card's write atomicity, the basis of its
//! tearing guarantees. In memory for tests and the demo; in a file (written to a temporary file,
//! synced, renamed over the old one, directory synced) for a card that survives restarts.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::error::CardError;

/// Where the card keeps its one state record.
pub trait Storage: Send {
    /// The last record stored, or `None` for a card never written.
    fn load(&mut self) -> Result<Option<Vec<u8>>, CardError>;
    /// Replaces the record atomically: after an error or a power cut the old record remains.
    fn store(&mut self, record: &[u8]) -> Result<(), CardError>;
}

/// Storage in memory.
#[derive(Debug, Default, Clone)]
pub struct MemoryStorage {
    record: Option<Vec<u8>>,
}

impl MemoryStorage {
    pub fn new() -> Self {
        Self::default()
    }
}

impl Storage for MemoryStorage {
    fn load(&mut self) -> Result<Option<Vec<u8>>, CardError> {
        Ok(self.record.clone())
    }
    fn store(&mut self, record: &[u8]) -> Result<(), CardError> {
        self.record = Some(record.to_vec());
        Ok(())
    }
}

impl<S: Storage + ?Sized> Storage for Box<S> {
    fn load(&mut self) -> Result<Option<Vec<u8>>, CardError> {
        (**self).load()
    }
    fn store(&mut self, record: &[u8]) -> Result<(), CardError> {
        (**self).store(record)
    }
}

/// The steps of a store in a file, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreStep {
    /// Create (or truncate) the temporary file.
    CreateTemp,
    /// Write the record into it.
    WriteTemp,
    /// fsync it.
    SyncTemp,
    /// Rename it over the record file.
    Rename,
    /// fsync the directory, which makes the rename durable.
    SyncDir,
}

/// Storage in a file, replaced atomically on every store.
#[derive(Debug, Clone)]
pub struct FileStorage {
    path: PathBuf,
}

impl FileStorage {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        FileStorage { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The temporary file a store writes before renaming it over [`Self::path`]. One left behind
    /// by a power cut is ignored by [`Storage::load`] and overwritten by the next store.
    pub fn temp_path(&self) -> PathBuf {
        self.path.with_extension("tmp")
    }

    /// [`Storage::store`], calling `before` ahead of each [`StoreStep`] with the temporary
    /// file's path. An error from `before` stops the store right there, as a power cut would: the
    /// power-loss injector of the tests (`asxh_testkit::TearingStorage`) is built on this.
    pub fn store_stepwise(
        &self,
        record: &[u8],
        mut before: impl FnMut(StoreStep, &Path) -> io::Result<()>,
    ) -> Result<(), CardError> {
        let tmp = self.temp_path();
        let mut write = || -> io::Result<()> {
            before(StoreStep::CreateTemp, &tmp)?;
            let mut f = fs::File::create(&tmp)?;
            before(StoreStep::WriteTemp, &tmp)?;
            f.write_all(record)?;
            before(StoreStep::SyncTemp, &tmp)?;
            f.sync_all()?;
            before(StoreStep::Rename, &tmp)?;
            fs::rename(&tmp, &self.path)?;
            before(StoreStep::SyncDir, &tmp)?;
            if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
                fs::File::open(dir)?.sync_all()?;
            }
            Ok(())
        };
        write().map_err(|e| self.err(e))
    }

    fn err(&self, source: io::Error) -> CardError {
        CardError::Storage {
            path: self.path.display().to_string(),
            source,
        }
    }
}

impl Storage for FileStorage {
    fn load(&mut self) -> Result<Option<Vec<u8>>, CardError> {
        match fs::read(&self.path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(self.err(e)),
        }
    }

    fn store(&mut self, record: &[u8]) -> Result<(), CardError> {
        self.store_stepwise(record, |_, _| Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_storage_replaces_the_record_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = FileStorage::new(dir.path().join("card.state"));
        assert_eq!(s.load().unwrap(), None);
        s.store(b"one").unwrap();
        s.store(b"two").unwrap();
        assert_eq!(s.load().unwrap(), Some(b"two".to_vec()));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
