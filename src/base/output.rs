//! Writing the output: never half a site.
//!
//! Files are written to a staging folder beside the output, then swapped in
//! with one `rename` (on Linux `renameat2(RENAME_EXCHANGE)`, so there is no
//! moment without a complete site). A failed or killed build leaves the
//! previous output as it was. candor writes and deletes only inside its
//! output folder and the staging folder beside it, and refuses an output
//! folder that would put the site itself at risk.

use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::base::diagnostics::Diagnostic;

/// One output file.
#[derive(Debug, Clone)]
pub enum FileData {
    Bytes(Vec<u8>),
    /// Bytes shared with the preview's cache (see [`crate::render::prints`]).
    Shared(std::sync::Arc<[u8]>),
    /// Copy from a source file (static files, content assets).
    Copy(PathBuf),
    /// Already written into the staging folder while rendering (a build
    /// streams pages to disk rather than holding them all in memory).
    Written,
    /// The file's bytes in pieces, in order, shared with the preview's
    /// cache: the site feed, whose thousands of entries are kept one by one
    /// and joined only when the feed is asked for.
    Parts(std::sync::Arc<[std::sync::Arc<[u8]>]>),
}

impl FileData {
    /// The bytes, when they are in memory.
    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            FileData::Bytes(b) => Some(b),
            FileData::Shared(b) => Some(b),
            FileData::Copy(_) | FileData::Written | FileData::Parts(_) => None,
        }
    }

    /// The bytes, when they are in memory, whole or in pieces.
    pub fn to_vec(&self) -> Option<Vec<u8>> {
        match self {
            FileData::Parts(parts) => Some(parts.concat()),
            data => data.bytes().map(<[u8]>::to_vec),
        }
    }
}

/// Output path (relative, `/`-separated) → content. Sorted, so writing order
/// and listings are deterministic.
pub type Files = BTreeMap<String, FileData>;

/// Make a path absolute without touching the file system (the output may not exist yet).
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    // Resolve symlinks in the part that exists, so `public -> ..` is caught.
    let mut existing = out.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    resolved
}

/// Why an output folder is refused, if it is.
/// The file that marks a folder as candor's output: a folder is replaced
/// only when it is empty or holds it (or is an output of a candor from
/// before the marker). Its text says so to anyone who opens it.
pub const MARKER: &str = ".candor-output";
const MARKER_TEXT: &str = "This folder is written by candor. Each build replaces it whole: keep nothing of your own here.\n";

/// The build that wrote an output (or a staging folder), from its marker.
pub fn build_id(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join(MARKER)).ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix("build "))
        .map(str::to_string)
}

/// Finish a swap that an interruption left half done: `build` swaps the
/// site in, then the notices; killed between the two, the site is the new
/// build's and the notices the old one's, while the new notices wait,
/// complete, in their staging folder. If `target`'s staging folder holds
/// the build `id` (the build its partner output is from) and `target` does
/// not, it is swapped in now. Returns whether it was.
pub fn roll_forward(target: &Path, id: &str) -> io::Result<bool> {
    let target = absolute(target);
    let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
        return Ok(false);
    };
    if build_id(&target).as_deref() == Some(id) {
        return Ok(false);
    }
    let prefix = format!(".{}.candor-staging-", name.to_string_lossy());
    for entry in std::fs::read_dir(parent)?.flatten() {
        let staged = entry.path();
        let is_staging = entry.file_name().to_string_lossy().starts_with(&prefix);
        if !is_staging || build_id(&staged).as_deref() != Some(id) {
            continue;
        }
        if target.exists() {
            exchange(&staged, &target).or_else(|_| {
                let old = parent.join(format!(
                    ".{}.candor-old-{}",
                    name.to_string_lossy(),
                    std::process::id()
                ));
                std::fs::rename(&target, &old)?;
                std::fs::rename(&staged, &target)?;
                std::fs::rename(&old, &staged)
            })?;
            remove_tree(&staged);
        } else {
            std::fs::rename(&staged, &target)?;
        }
        sync_dir(parent);
        return Ok(true);
    }
    Ok(false)
}

/// Why candor must not replace `dir` (following a symbolic link to it), if
/// it must not: it holds files candor did not write.
pub fn refuse_to_replace(dir: &Path) -> Option<String> {
    let dir = absolute(dir);
    let mut entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return None,
        Err(e) => return Some(format!("it cannot be read ({e})")),
    };
    if entries.next().is_none() || dir.join(MARKER).is_file() || earlier_output(&dir) {
        return None;
    }
    Some(format!(
        "{} holds files candor did not write (it has no {MARKER} file), and a build replaces the whole folder",
        dir.display()
    ))
}

/// A site or notices folder written by a candor from before the marker:
/// the site has candor's status.json; the notices are only candor's renders.
fn earlier_output(dir: &Path) -> bool {
    const RENDERS: &[&str] = &[
        "email.html",
        "email.txt",
        "email.eml",
        "letter.html",
        "social.txt",
        "social.json",
    ];
    let status = std::fs::read_to_string(dir.join("status.json"))
        .is_ok_and(|t| t.contains("\"overall\"") && t.contains("\"generated_at\""));
    let mut files = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .peekable();
    let renders = files.peek().is_some()
        && files.all(|e| RENDERS.contains(&e.file_name().to_string_lossy().as_ref()));
    status || renders
}

pub fn refuse_output(site_root: &Path, output: &Path) -> Option<String> {
    let site = absolute(site_root);
    let out = absolute(output);
    if out.parent().is_none() {
        return Some("the output folder cannot be the file system's root".into());
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from)
        && absolute(&home) == out
    {
        return Some("the output folder cannot be your home folder".into());
    }
    if out == site {
        return Some("the output folder cannot be the site's own folder".into());
    }
    if site.starts_with(&out) {
        return Some("the output folder cannot hold the site's own folder".into());
    }
    for name in ["content", "templates", "static", "themes", "site.toml"] {
        let protected = site.join(name);
        if out == protected || out.starts_with(&protected) {
            return Some(format!("the output folder cannot be in the site's {name}"));
        }
    }
    None
}

/// Write `files` into `output`, atomically replacing what was there.
pub fn write_atomically(output: &Path, files: &Files) -> io::Result<()> {
    let staging = Staging::new(output)?;
    staging.write(files)?;
    staging.commit()
}

/// Replace one file in one step: written beside it, flushed, renamed over
/// it. A reader (or a crash) sees the old file or the new, never half.
pub fn replace_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    replace_file_parts(path, &[bytes])
}

/// [`replace_file`] with the bytes in parts, written in order.
pub fn replace_file_parts(path: &Path, parts: &[&[u8]]) -> io::Result<()> {
    let tmp = stage_file(path, parts)?;
    commit_file(&tmp, path)
}

/// The first half of [`replace_file_parts`]: the new bytes written (and
/// synced) beside `path`, under a name of their own, which
/// [`commit_file`] then renames over it. A file staged by a run that
/// ended before committing is removed by the next.
pub fn stage_file(path: &Path, parts: &[&[u8]]) -> io::Result<PathBuf> {
    use std::io::Write as _;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.candor-tmp-");
    if let Some(dir) = path.parent() {
        for left in stale(dir, &prefix) {
            let _ = std::fs::remove_file(left);
        }
    }
    let tmp = path.with_file_name(format!("{prefix}{}", std::process::id()));
    let written = std::fs::File::create(&tmp).and_then(|f| {
        let mut out = io::BufWriter::new(f);
        for part in parts {
            out.write_all(part)?;
        }
        out.into_inner().map_err(|e| e.into_error())?.sync_all()
    });
    match written {
        Ok(()) => Ok(tmp),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// The second half of [`replace_file_parts`]: `staged` renamed over `path`.
pub fn commit_file(staged: &Path, path: &Path) -> io::Result<()> {
    if let Err(e) = std::fs::rename(staged, path) {
        let _ = std::fs::remove_file(staged);
        return Err(e);
    }
    if let Some(dir) = path.parent() {
        sync_dir(dir);
    }
    Ok(())
}

/// A folder beside the output that becomes the output in one step.
/// Dropped without [`Staging::commit`], it is deleted and the output is
/// left as it was.
pub struct Staging {
    output: PathBuf,
    parent: PathBuf,
    name: String,
    /// Where files are written before the swap.
    pub dir: PathBuf,
    committed: bool,
}

impl Staging {
    pub fn new(output: &Path) -> io::Result<Staging> {
        let output = absolute(output);
        let parent = output
            .parent()
            .ok_or_else(|| io::Error::other("output folder has no parent"))?
            .to_path_buf();
        let name = output
            .file_name()
            .ok_or_else(|| io::Error::other("output folder has no name"))?
            .to_string_lossy()
            .into_owned();
        if output.exists() && !output.is_dir() {
            return Err(io::Error::other(format!(
                "{} exists and is not a folder",
                output.display()
            )));
        }
        std::fs::create_dir_all(&parent)?;
        remove_stale_staging(&parent, &name);
        let dir = parent.join(format!(".{name}.candor-staging-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir(&dir)?;
        std::fs::write(dir.join(MARKER), MARKER_TEXT)?;
        Ok(Staging {
            output,
            parent,
            name,
            dir,
            committed: false,
        })
    }

    /// Name the build in the marker: the fingerprint of what the output is
    /// made from, the same for the site and its notices (and for two builds
    /// of the same input), so a swap an interruption left half done can be
    /// finished by the next build (see [`roll_forward`]).
    pub fn mark(&self, build: &str) -> io::Result<()> {
        std::fs::write(
            self.dir.join(MARKER),
            format!("{MARKER_TEXT}build {build}\n"),
        )
    }

    /// Write one file now (parents created as needed).
    pub fn put(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let dest = self.dir.join(rel);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&dest, bytes)
            .map_err(|e| io::Error::new(e.kind(), format!("writing {rel}: {e}")))
    }

    /// Write one file now through `write` (parents created as needed),
    /// so that a large file need not be held in memory.
    pub fn put_with(
        &self,
        rel: &str,
        write: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let dest = self.dir.join(rel);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let named = |e: io::Error| io::Error::new(e.kind(), format!("writing {rel}: {e}"));
        let mut out =
            io::BufWriter::with_capacity(256 * 1024, std::fs::File::create(&dest).map_err(named)?);
        write(&mut out).map_err(named)?;
        io::Write::flush(&mut out).map_err(named)
    }

    /// Write every file not yet written.
    pub fn write(&self, files: &Files) -> io::Result<()> {
        write_all(&self.dir, files)
    }

    /// Swap the staging folder in as the output.
    pub fn commit(mut self) -> io::Result<()> {
        sync_dir(&self.dir);
        if !self.output.exists() {
            std::fs::rename(&self.dir, &self.output)?;
            self.committed = true;
            sync_dir(&self.parent);
            return Ok(());
        }
        match exchange(&self.dir, &self.output) {
            Ok(()) => {
                self.committed = true;
                // The staging folder now holds the previous site.
                remove_tree(&self.dir);
            }
            Err(_) => {
                let old =
                    self.parent
                        .join(format!(".{}.candor-old-{}", self.name, std::process::id()));
                std::fs::rename(&self.output, &old)?;
                if let Err(e) = std::fs::rename(&self.dir, &self.output) {
                    let _ = std::fs::rename(&old, &self.output);
                    return Err(e);
                }
                self.committed = true;
                let _ = std::fs::remove_dir_all(&old);
            }
        }
        sync_dir(&self.parent);
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Delete a folder we made, files in parallel (a large site has thousands).
fn remove_tree(dir: &Path) {
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .contents_first(true)
        .into_iter()
        .flatten()
    {
        if entry.file_type().is_dir() {
            dirs.push(entry.into_path());
        } else {
            files.push(entry.into_path());
        }
    }
    files.par_iter().for_each(|f| {
        let _ = std::fs::remove_file(f);
    });
    for d in dirs {
        let _ = std::fs::remove_dir(d);
    }
    // Anything left (a file that appeared meanwhile): the plain way.
    if dir.exists() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

fn write_all(root: &Path, files: &Files) -> io::Result<()> {
    let mut dirs: Vec<PathBuf> = files
        .keys()
        .filter_map(|k| Path::new(k).parent().map(|p| root.join(p)))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        std::fs::create_dir_all(d)?;
    }
    files.par_iter().try_for_each(|(rel, data)| {
        let dest = root.join(rel);
        match data {
            FileData::Bytes(b) => std::fs::write(&dest, b),
            FileData::Shared(b) => std::fs::write(&dest, b),
            FileData::Parts(parts) => std::fs::File::create(&dest).and_then(|mut f| {
                use std::io::Write;
                parts.iter().try_for_each(|p| f.write_all(p))
            }),
            FileData::Copy(src) => std::fs::copy(src, &dest).map(|_| ()),
            FileData::Written => Ok(()),
        }
        .map_err(|e| io::Error::new(e.kind(), format!("writing {rel}: {e}")))
    })
}

/// Flush a folder's entries to disk, so a rename in it survives a power
/// cut. Best effort: not every platform or file system allows it, and a
/// failure loses nothing the rename has not already made visible.
fn sync_dir(dir: &Path) {
    let _ = std::fs::File::open(dir).and_then(|f| f.sync_all());
}

/// Staging folders left by a build that was killed: their process is gone.
fn remove_stale_staging(parent: &Path, name: &str) {
    for prefix in [
        format!(".{name}.candor-staging-"),
        format!(".{name}.candor-old-"),
    ] {
        for path in stale(parent, &prefix) {
            let _ = std::fs::remove_dir_all(path);
        }
    }
}

/// What in `parent` starts with `prefix` and a process id whose process
/// is gone: left by a killed candor.
fn stale(parent: &Path, prefix: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(parent).into_iter().flatten().flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = file_name.strip_prefix(prefix) else {
            continue;
        };
        let alive = pid
            .parse::<u32>()
            .is_ok_and(|p| p == std::process::id() || Path::new(&format!("/proc/{p}")).exists());
        if !alive || !Path::new("/proc").exists() {
            out.push(entry.path());
        }
    }
    out
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes()).map_err(io::Error::other)?;
    let cb = CString::new(b.as_os_str().as_bytes()).map_err(io::Error::other)?;
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::other("no atomic exchange on this platform"))
}

/// Where rendered pages and notices go as they are made.
#[derive(Clone, Copy)]
pub enum Emit<'a> {
    /// Kept in memory (preview, check).
    Memory,
    /// Written at once into these staging folders (build): a large site is
    /// never held in memory whole.
    Staged {
        site: &'a Staging,
        notices: &'a Staging,
    },
}

impl Emit<'_> {
    /// A site file's bytes as they were kept: in memory, or read back from
    /// the staging folder.
    pub fn read(&self, path: &str, data: &FileData) -> Option<Vec<u8>> {
        match (data, self) {
            (FileData::Written, Emit::Staged { site, .. }) => {
                std::fs::read(site.dir.join(path)).ok()
            }
            (FileData::Copy(source), _) => std::fs::read(source).ok(),
            (data, _) => data.to_vec(),
        }
    }

    /// Keep what `write` writes for `path`, in memory or streamed to disk.
    pub fn stream(
        &self,
        notices: bool,
        path: &str,
        write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> std::io::Result<FileData> {
        match self {
            Emit::Memory => {
                let mut bytes = Vec::new();
                write(&mut bytes)?;
                Ok(FileData::Bytes(bytes))
            }
            Emit::Staged { site, notices: n } => {
                let staging = if notices { n } else { site };
                staging.put_with(path, write)?;
                Ok(FileData::Written)
            }
        }
    }

    /// Keep `bytes` for `path`, in memory or on disk.
    pub fn keep(&self, notices: bool, path: &str, bytes: Vec<u8>) -> std::io::Result<FileData> {
        match self {
            Emit::Memory => Ok(FileData::Bytes(bytes)),
            Emit::Staged { site, notices: n } => {
                let staging = if notices { n } else { site };
                staging.put(path, &bytes)?;
                Ok(FileData::Written)
            }
        }
    }
}

pub const WRITE_HINT: &str = "check that the disk has space and the folder is writable; the previous output was left as it was";

/// A file that could not be written while rendering.
pub fn write_error(path: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error("", format!("could not write {path}: {e}"))
        .with_hint(WRITE_HINT)
        .io()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file kept in pieces is written as the pieces joined, in order.
    #[test]
    fn a_file_in_parts_is_written_whole() {
        let dir = tempfile::tempdir().unwrap();
        let parts: Vec<std::sync::Arc<[u8]>> = ["<feed>", "<entry/>", "<entry/>", "</feed>"]
            .iter()
            .map(|p| std::sync::Arc::from(p.as_bytes()))
            .collect();
        let data = FileData::Parts(std::sync::Arc::from(parts));
        assert_eq!(
            data.to_vec().as_deref(),
            Some(&b"<feed><entry/><entry/></feed>"[..])
        );
        let mut files = Files::new();
        files.insert("feed.xml".into(), data);
        write_all(dir.path(), &files).unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("feed.xml")).unwrap(),
            b"<feed><entry/><entry/></feed>"
        );
    }

    #[test]
    fn staging_left_by_a_dead_build_is_removed_and_a_running_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let mk = |name: &str| std::fs::create_dir_all(dir.path().join(name)).unwrap();
        // pid 1 is always running; a pid past the kernel's limit never is.
        mk(".public.candor-staging-1");
        mk(".public.candor-old-1");
        mk(".public.candor-staging-4294967295");
        mk(".public.candor-old-4194305000");
        mk(".public.candor-staging-not-a-pid");
        mk(".other.candor-staging-4294967295");
        mk("public");
        remove_stale_staging(dir.path(), "public");
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                ".other.candor-staging-4294967295",
                ".public.candor-old-1",
                ".public.candor-staging-1",
                "public"
            ]
        );
    }

    #[test]
    fn only_empty_marked_or_earlier_candor_folders_are_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let put = |rel: &str, text: &str| {
            let p = dir.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        // Missing or empty: free to write.
        assert_eq!(refuse_to_replace(&dir.path().join("none")), None);
        std::fs::create_dir_all(dir.path().join("empty")).unwrap();
        assert_eq!(refuse_to_replace(&dir.path().join("empty")), None);
        // A file where a folder should be cannot be read as one: refused.
        put("file", "x");
        assert!(refuse_to_replace(&dir.path().join("file")).is_some());
        // Marked by candor.
        put("marked/index.html", "x");
        put(&format!("marked/{MARKER}"), "");
        assert_eq!(refuse_to_replace(&dir.path().join("marked")), None);
        // A site from before the marker: candor's status.json.
        put("old-site/index.html", "x");
        put(
            "old-site/status.json",
            r#"{"overall": "ok", "generated_at": "now"}"#,
        );
        assert_eq!(refuse_to_replace(&dir.path().join("old-site")), None);
        // Something else's status.json is not candor's.
        put("other-site/index.html", "x");
        put("other-site/status.json", r#"{"overall": "ok"}"#);
        assert!(refuse_to_replace(&dir.path().join("other-site")).is_some());
        // Notices from before the marker: only candor's renders.
        put("old-notices/a/email.html", "x");
        put("old-notices/a/updates/b/social.txt", "x");
        assert_eq!(refuse_to_replace(&dir.path().join("old-notices")), None);
        // The same with one of the author's own files: refused.
        put("mixed/a/letter.html", "x");
        put("mixed/a/notes.txt", "mine");
        assert!(refuse_to_replace(&dir.path().join("mixed")).is_some());
        // Folders only, no files: not candor's renders.
        std::fs::create_dir_all(dir.path().join("folders/a/b")).unwrap();
        assert!(refuse_to_replace(&dir.path().join("folders")).is_some());
    }

    #[test]
    fn dangerous_outputs_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("content")).unwrap();
        assert!(refuse_output(&site, &site).is_some());
        assert!(refuse_output(&site, &site.join("content")).is_some());
        assert!(refuse_output(&site, &site.join("content/x")).is_some());
        assert!(refuse_output(&site, dir.path()).is_some());
        assert!(refuse_output(&site, Path::new("/")).is_some());
        assert!(refuse_output(&site, &site.join("public/..")).is_some());
        assert!(refuse_output(&site, &site.join("public")).is_none());
        assert!(refuse_output(&site, &dir.path().join("elsewhere")).is_none());
    }

    #[test]
    fn swap_replaces_the_whole_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut files = Files::new();
        files.insert("a/index.html".into(), FileData::Bytes(b"one".to_vec()));
        files.insert("old.txt".into(), FileData::Bytes(b"x".to_vec()));
        write_atomically(&out, &files).unwrap();
        let mut files = Files::new();
        files.insert("a/index.html".into(), FileData::Bytes(b"two".to_vec()));
        write_atomically(&out, &files).unwrap();
        assert_eq!(std::fs::read(out.join("a/index.html")).unwrap(), b"two");
        assert!(!out.join("old.txt").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "staging folders left behind");
    }
}
