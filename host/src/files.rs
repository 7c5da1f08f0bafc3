//! A component's `files` mounts, turned into read-only WASI preopens.
//!
//! `{ source = "dir", destination = "/x" }` entries are mounted directly (so
//! edits show up without a restart). String entries are paths or globs
//! relative to the manifest folder whose matches keep that relative path under
//! the guest's `/`; as Spin does, they are assembled into one staging folder,
//! together with any `{source, destination}` entries of the same component,
//! and that folder is mounted at `/`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::manifest::FileMount;

/// The preopens for one component.
#[derive(Debug)]
pub struct Mounts {
    /// `(host directory, guest path)`, opened read-only for each instance.
    pub preopens: Vec<(PathBuf, String)>,
    /// Holds the staging folder (deleted when the host exits).
    _staging: Option<tempfile::TempDir>,
}

pub fn prepare(files: &[FileMount], manifest_dir: &Path, state_dir: &Path) -> Result<Mounts> {
    let has_patterns = files.iter().any(|f| matches!(f, FileMount::Pattern(_)));
    if !has_patterns {
        let preopens = files
            .iter()
            .filter_map(|f| match f {
                FileMount::Placement {
                    source,
                    destination,
                } => Some((source.clone(), destination.clone())),
                FileMount::Pattern(_) => None,
            })
            .collect();
        return Ok(Mounts {
            preopens,
            _staging: None,
        });
    }

    let staging = tempfile::Builder::new()
        .prefix("files-")
        .tempdir_in(state_dir)
        .with_context(|| format!("cannot create a staging folder in {}", state_dir.display()))?;
    for f in files {
        match f {
            FileMount::Pattern(pattern) => {
                let full = format!(
                    "{}/{pattern}",
                    glob::Pattern::escape(&manifest_dir.to_string_lossy())
                );
                for entry in
                    glob::glob(&full).with_context(|| format!("bad `files` pattern {pattern:?}"))?
                {
                    let path = entry?;
                    let Ok(rel) = path.strip_prefix(manifest_dir) else {
                        bail!(
                            "`files` pattern {pattern:?} matches {} outside the app folder",
                            path.display()
                        );
                    };
                    if rel
                        .components()
                        .any(|c| matches!(c, std::path::Component::ParentDir))
                    {
                        bail!("`files` pattern {pattern:?} must stay inside the app folder");
                    }
                    copy_into(&path, &staging.path().join(rel))?;
                }
            }
            FileMount::Placement {
                source,
                destination,
            } => {
                copy_into(
                    source,
                    &staging.path().join(destination.trim_start_matches('/')),
                )?;
            }
        }
    }
    Ok(Mounts {
        preopens: vec![(staging.path().to_path_buf(), "/".to_string())],
        _staging: Some(staging),
    })
}

/// Copies a file, or a directory recursively, to `to`.
fn copy_into(from: &Path, to: &Path) -> Result<()> {
    let meta =
        std::fs::metadata(from).with_context(|| format!("cannot read {}", from.display()))?;
    if meta.is_dir() {
        std::fs::create_dir_all(to)?;
        for entry in std::fs::read_dir(from)? {
            let entry = entry?;
            copy_into(&entry.path(), &to.join(entry.file_name()))?;
        }
    } else {
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(from, to).with_context(|| format!("cannot copy {}", from.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placements_are_mounted_directly_and_patterns_are_staged() {
        let app = tempfile::tempdir().unwrap();
        let state = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(app.path().join("static/css")).unwrap();
        std::fs::write(app.path().join("static/index.html"), "hi").unwrap();
        std::fs::write(app.path().join("static/css/site.css"), "body{}").unwrap();
        std::fs::write(app.path().join("notes.txt"), "n").unwrap();

        let placement = FileMount::Placement {
            source: app.path().join("static"),
            destination: "/".into(),
        };
        let m = prepare(std::slice::from_ref(&placement), app.path(), state.path()).unwrap();
        assert_eq!(m.preopens, [(app.path().join("static"), "/".to_string())]);

        let files = [
            FileMount::Pattern("static/**/*.css".into()),
            FileMount::Pattern("notes.txt".into()),
        ];
        let m = prepare(&files, app.path(), state.path()).unwrap();
        let (root, guest) = &m.preopens[0];
        assert_eq!(guest, "/");
        assert!(root.join("static/css/site.css").is_file());
        assert!(root.join("notes.txt").is_file());
        assert!(!root.join("static/index.html").exists());

        let mixed = [FileMount::Pattern("notes.txt".into()), placement];
        let m = prepare(&mixed, app.path(), state.path()).unwrap();
        assert!(m.preopens[0].0.join("index.html").is_file());
        assert!(m.preopens[0].0.join("notes.txt").is_file());

        let escape = [FileMount::Pattern("../*".into())];
        assert!(prepare(&escape, app.path(), state.path()).is_err());
    }
}
