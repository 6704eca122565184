//! Platforms without `openat2(2)`: every operation is
//! [`OpenError::Unsupported`], so no code falls back to unconfined paths.

use std::fs::{File, Metadata};
use std::path::Path;

use super::{DirEntry, OpenOptions, RootDir};
use crate::path::{OpenError, SafeRelPath};

fn unsupported<T>() -> Result<T, OpenError> {
    Err(OpenError::Unsupported {
        reason: "confined file-system access needs Linux openat2",
    })
}

pub(super) fn open_root(_: &Path) -> Result<File, OpenError> {
    unsupported()
}

pub(super) fn open_file(_: &RootDir, _: &SafeRelPath, _: &OpenOptions) -> Result<File, OpenError> {
    unsupported()
}

pub(super) fn open_dir(_: &RootDir, _: &SafeRelPath) -> Result<File, OpenError> {
    unsupported()
}

pub(super) fn create_dir(_: &RootDir, _: &SafeRelPath) -> Result<(), OpenError> {
    unsupported()
}

pub(super) fn create_dir_all(_: &RootDir, _: &SafeRelPath) -> Result<(), OpenError> {
    unsupported()
}

pub(super) fn metadata(_: &RootDir, _: &SafeRelPath) -> Result<Metadata, OpenError> {
    unsupported()
}

pub(super) fn symlink_metadata(_: &RootDir, _: &SafeRelPath) -> Result<Metadata, OpenError> {
    unsupported()
}

pub(super) fn remove(_: &RootDir, _: &SafeRelPath, _: bool) -> Result<(), OpenError> {
    unsupported()
}

pub(super) fn rename(_: &RootDir, _: &SafeRelPath, _: &SafeRelPath) -> Result<(), OpenError> {
    unsupported()
}

pub(super) fn read_dir(_: &RootDir, _: &SafeRelPath) -> Result<ReadDir, OpenError> {
    unsupported()
}

/// Never constructed here.
#[derive(Debug)]
pub(super) struct ReadDir;

impl ReadDir {
    pub(super) fn next(&mut self) -> Option<Result<DirEntry, OpenError>> {
        None
    }
}
