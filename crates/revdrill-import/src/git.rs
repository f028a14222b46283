//! Reading one commit with gix and diffing it against its first parent (or the empty tree).
//!
//! The tree diff walks both trees together and skips subtrees with the same id, so a commit
//! touching three files of a large repository reads a handful of objects.

use std::collections::BTreeMap;
use std::path::Path;

use gix::ObjectId;

use crate::error::{ImportError, NoCommit};
use crate::select::FileChange;
use crate::udiff;

const TREE: u16 = 0o040000;
const GITLINK: u16 = 0o160000;
/// Binary if a NUL byte shows up this early, as git decides.
const BINARY_PROBE: usize = 8000;
/// Pairs of deleted x added files compared for inexact renames, at most.
const RENAME_BUDGET: usize = 400;

/// A commit, read.
pub(crate) struct Commit {
    pub id: ObjectId,
    pub subject: String,
    pub body: String,
    /// The first parent, and how many parents there are.
    pub parent: Option<ObjectId>,
    pub parents: usize,
    pub files: Vec<FileChange>,
    /// A web URL for the commit when a remote is on GitHub or GitLab, else a remote URL.
    pub remote_url: Option<String>,
    /// The work tree, for the analyzer to read whole files.
    pub workdir: Option<std::path::PathBuf>,
    /// The commit's root `go.mod`.
    pub go_mod: Option<String>,
}

#[derive(Clone, Copy)]
struct Entry {
    mode: u16,
    id: ObjectId,
}

pub(crate) fn read_commit(repo_path: &Path, rev: &str) -> Result<Commit, ImportError> {
    let repo =
        gix::open(repo_path).map_err(|e| ImportError::NotARepository { path: repo_path.to_path_buf(), reason: e.to_string() })?;
    let unknown = |why: NoCommit| ImportError::UnknownRevision { rev: rev.to_string(), repo: repo_path.to_path_buf(), why };
    let id = repo.rev_parse_single(rev).map_err(|_| unknown(why_no_commit(&repo, rev)))?;
    let object = id.object().map_err(|_| unknown(NoCommit::NoSuchName))?;
    let commit = object.peel_to_commit().map_err(|_| unknown(NoCommit::NotACommit))?;
    let git_err = |what: &str| {
        let what = what.to_string();
        move |e: &dyn std::fmt::Display| ImportError::Git { what: what.clone(), reason: e.to_string() }
    };
    let message = commit.message().map_err(|e| git_err("the commit message")(&e))?;
    let subject = message.summary().to_string();
    let body = message.body.map(|b| b.to_string()).unwrap_or_default().trim().to_string();
    let parent_ids: Vec<ObjectId> = commit.parent_ids().map(|p| p.detach()).collect();
    let tree = commit.tree_id().map_err(|e| git_err("the commit's tree")(&e))?.detach();
    let parent_tree = match parent_ids.first() {
        None => None,
        Some(p) => {
            let pc = repo.find_commit(*p).map_err(|e| git_err("the first parent")(&e))?;
            Some(pc.tree_id().map_err(|e| git_err("the first parent's tree")(&e))?.detach())
        }
    };
    let reader = Reader { repo: &repo };
    // The commit's own go.mod decides the Go version, whatever the work tree holds.
    let go_mod = match reader.entries(Some(tree))?.get("go.mod") {
        Some(e) if e.mode != TREE && e.mode != GITLINK => Some(String::from_utf8_lossy(&reader.blob(*e)?).into_owned()),
        _ => None,
    };
    let mut raw = Vec::new();
    reader.diff_trees("", parent_tree, Some(tree), &mut raw)?;
    let files = reader.render(raw)?;
    Ok(Commit {
        id: commit.id,
        subject,
        body,
        parent: parent_ids.first().copied(),
        parents: parent_ids.len(),
        files,
        remote_url: remote_url(&repo, &commit.id.to_string()),
        workdir: repo.workdir().map(|w| w.to_path_buf()),
        go_mod,
    })
}

/// Why `rev` resolves to nothing, in plain words: for `BASE~N` past the root, how many commits
/// `BASE` has before it (gix only says `delegate.traverse(NthAncestor(N)) failed`).
fn why_no_commit(repo: &gix::Repository, rev: &str) -> NoCommit {
    let Some((base, n)) = rev.rsplit_once('~') else { return NoCommit::NoSuchName };
    let Ok(n) = n.parse::<usize>() else { return NoCommit::NoSuchName };
    let Ok(start) = repo.rev_parse_single(base) else { return NoCommit::NoSuchName };
    let mut count = 0;
    let mut at = start.object().ok().and_then(|o| o.peel_to_commit().ok());
    while let Some(c) = at {
        if count >= n {
            // The ancestor exists; the name failed for another reason.
            return NoCommit::NoSuchName;
        }
        at = c.parent_ids().next().and_then(|p| repo.find_commit(p.detach()).ok());
        if at.is_some() {
            count += 1;
        }
    }
    NoCommit::HistoryTooShort { base: base.to_string(), count }
}

struct Reader<'r> {
    repo: &'r gix::Repository,
}

/// One changed path before rendering: old and new entries.
struct Raw {
    path: String,
    old: Option<Entry>,
    new: Option<Entry>,
}

impl Reader<'_> {
    fn entries(&self, tree: Option<ObjectId>) -> Result<BTreeMap<String, Entry>, ImportError> {
        let mut out = BTreeMap::new();
        let Some(id) = tree else { return Ok(out) };
        let tree = self.repo.find_tree(id).map_err(|e| ImportError::Git { what: format!("tree {id}"), reason: e.to_string() })?;
        let decoded = tree.decode().map_err(|e| ImportError::Git { what: format!("tree {id}"), reason: e.to_string() })?;
        for e in &decoded.entries {
            out.insert(String::from_utf8_lossy(e.filename).into_owned(), Entry { mode: e.mode.value(), id: e.oid.to_owned() });
        }
        Ok(out)
    }

    fn diff_trees(
        &self,
        prefix: &str,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
        out: &mut Vec<Raw>,
    ) -> Result<(), ImportError> {
        let (a, b) = (self.entries(old)?, self.entries(new)?);
        let mut names: Vec<&String> = a.keys().chain(b.keys()).collect();
        names.sort();
        names.dedup();
        for name in names {
            let path = format!("{prefix}{name}");
            let (o, n) = (a.get(name).copied(), b.get(name).copied());
            if let (Some(o), Some(n)) = (o, n) {
                if o.id == n.id && o.mode == n.mode {
                    continue;
                }
            }
            let is_tree = |e: Option<Entry>| e.filter(|e| e.mode == TREE);
            let (ot, nt) = (is_tree(o), is_tree(n));
            if ot.is_some() || nt.is_some() {
                self.diff_trees(&format!("{path}/"), ot.map(|e| e.id), nt.map(|e| e.id), out)?;
            }
            let (ob, nb) = (o.filter(|e| e.mode != TREE), n.filter(|e| e.mode != TREE));
            if ob.is_some() || nb.is_some() {
                out.push(Raw { path, old: ob, new: nb });
            }
        }
        Ok(())
    }

    fn blob(&self, e: Entry) -> Result<Vec<u8>, ImportError> {
        if e.mode == GITLINK {
            return Ok(format!("Subproject commit {}\n", e.id).into_bytes());
        }
        let obj = self
            .repo
            .find_object(e.id)
            .map_err(|err| ImportError::Git { what: format!("blob {}", e.id), reason: err.to_string() })?;
        Ok(obj.detach().data)
    }

    /// Pairs deletions with additions as renames (same blob, or at least 50% similar lines),
    /// then writes each change as a `diff --git` section.
    fn render(&self, raw: Vec<Raw>) -> Result<Vec<FileChange>, ImportError> {
        let mut deleted: Vec<usize> = Vec::new();
        let mut added: Vec<usize> = Vec::new();
        for (i, r) in raw.iter().enumerate() {
            match (r.old, r.new) {
                (Some(o), None) if o.mode != GITLINK => deleted.push(i),
                (None, Some(n)) if n.mode != GITLINK => added.push(i),
                _ => {}
            }
        }
        let mut rename_of: BTreeMap<usize, (usize, u32)> = BTreeMap::new(); // added -> (deleted, score)
        let mut used = vec![false; raw.len()];
        for &a in &added {
            if let Some(&d) = deleted.iter().find(|&&d| !used[d] && raw[d].old.map(|e| e.id) == raw[a].new.map(|e| e.id)) {
                used[d] = true;
                rename_of.insert(a, (d, 100));
            }
        }
        if deleted.len() * added.len() <= RENAME_BUDGET {
            let mut cache: BTreeMap<usize, Vec<u8>> = BTreeMap::new();
            for &a in &added {
                if rename_of.contains_key(&a) {
                    continue;
                }
                let mut best: Option<(usize, u32)> = None;
                for &d in &deleted {
                    if used[d] {
                        continue;
                    }
                    if !cache.contains_key(&d) {
                        cache.insert(d, self.blob(raw[d].old.unwrap())?);
                    }
                    if !cache.contains_key(&a) {
                        cache.insert(a, self.blob(raw[a].new.unwrap())?);
                    }
                    let (old, new) = (&cache[&d], &cache[&a]);
                    if is_binary(old) || is_binary(new) {
                        continue;
                    }
                    let score = udiff::similarity(old, new);
                    if score >= 50 && best.is_none_or(|(_, s)| score > s) {
                        best = Some((d, score));
                    }
                }
                if let Some((d, s)) = best {
                    used[d] = true;
                    rename_of.insert(a, (d, s));
                }
            }
        }
        let mut files = Vec::new();
        for (i, r) in raw.iter().enumerate() {
            if used[i] {
                continue; // shown as the source of a rename
            }
            let (old_path, old) = match rename_of.get(&i) {
                Some(&(d, _)) => (Some(raw[d].path.clone()), raw[d].old),
                None => (None, r.old),
            };
            let score = rename_of.get(&i).map(|&(_, s)| s);
            files.push(self.section(&r.path, old_path, old, r.new, score)?);
        }
        Ok(files)
    }

    fn section(
        &self,
        path: &str,
        old_path: Option<String>,
        old: Option<Entry>,
        new: Option<Entry>,
        score: Option<u32>,
    ) -> Result<FileChange, ImportError> {
        let a_path = old_path.clone().unwrap_or_else(|| path.to_string());
        let mut head = format!("diff --git a/{a_path} b/{path}\n");
        let mode = |e: Entry| format!("{:06o}", e.mode);
        match (old, new) {
            (None, Some(n)) => head.push_str(&format!("new file mode {}\n", mode(n))),
            (Some(o), None) => head.push_str(&format!("deleted file mode {}\n", mode(o))),
            (Some(o), Some(n)) if o.mode != n.mode => head.push_str(&format!("old mode {}\nnew mode {}\n", mode(o), mode(n))),
            _ => {}
        }
        if let (Some(s), Some(op)) = (score, &old_path) {
            head.push_str(&format!("similarity index {s}%\nrename from {op}\nrename to {path}\n"));
        }
        let submodule = old.is_some_and(|e| e.mode == GITLINK) || new.is_some_and(|e| e.mode == GITLINK);
        let old_bytes = old.map(|e| self.blob(e)).transpose()?.unwrap_or_default();
        let new_bytes = new.map(|e| self.blob(e)).transpose()?.unwrap_or_default();
        let binary = !submodule && (is_binary(&old_bytes) || is_binary(&new_bytes));
        let generated_marker = is_generated(&new_bytes);
        let mut change = FileChange {
            path: path.to_string(),
            old_path,
            text: String::new(),
            added: 0,
            removed: 0,
            binary,
            submodule,
            deleted: new.is_none(),
            lossy: false,
            crlf: false,
            generated_marker,
            post_image: (new.is_some() && !submodule).then(|| new_bytes.clone()),
        };
        if binary {
            change.text = format!("{head}Binary files a/{a_path} and b/{path} differ\n");
            return Ok(change);
        }
        let h = udiff::hunks(&old_bytes, &new_bytes);
        if !h.text.is_empty() {
            let minus = if old.is_some() { format!("a/{a_path}") } else { "/dev/null".into() };
            let plus = if new.is_some() { format!("b/{path}") } else { "/dev/null".into() };
            change.text = format!("{head}--- {minus}\n+++ {plus}\n{}", h.text);
        }
        change.added = h.added;
        change.removed = h.removed;
        change.lossy = h.lossy;
        change.crlf = h.crlf;
        Ok(change)
    }
}

pub(crate) fn is_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(BINARY_PROBE)].contains(&0)
}

/// `// Code generated ... DO NOT EDIT.` (the Go convention, also used elsewhere) near the top.
pub(crate) fn is_generated(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let head = String::from_utf8_lossy(head);
    head.lines().take(5).any(|l| l.contains("Code generated") && l.contains("DO NOT EDIT") || l.contains("@generated"))
}

/// A web URL for the commit on GitHub or GitLab; otherwise an http(s) remote URL as is.
fn remote_url(repo: &gix::Repository, commit: &str) -> Option<String> {
    let config = repo.config_snapshot();
    let mut urls = Vec::new();
    for name in ["origin", "upstream"] {
        if let Some(u) = config.string(format!("remote.{name}.url").as_str()) {
            urls.push(u.to_string());
        }
    }
    for name in repo.remote_names() {
        if let Some(u) = config.string(format!("remote.{name}.url").as_str()) {
            urls.push(u.to_string());
        }
    }
    for u in &urls {
        if let Some(web) = forge_url(u, commit) {
            return Some(web);
        }
    }
    urls.into_iter().find(|u| u.starts_with("https://") || u.starts_with("http://"))
}

/// `git@github.com:o/r.git`, `https://github.com/o/r`, `ssh://git@gitlab.com/g/r.git` -> the
/// commit's page.
pub(crate) fn forge_url(url: &str, commit: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .or_else(|| url.strip_prefix("ssh://"))
        .or_else(|| url.strip_prefix("git://"))
        .unwrap_or(url);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
    let (host, path) = rest.split_once([':', '/'])?;
    let path = path.trim_start_matches(|c: char| c.is_ascii_digit()).trim_start_matches('/');
    let path = path.trim_end_matches('/').trim_end_matches(".git");
    if path.split('/').count() < 2 || path.contains("..") {
        return None;
    }
    match host {
        "github.com" => Some(format!("https://github.com/{path}/commit/{commit}")),
        "gitlab.com" => Some(format!("https://gitlab.com/{path}/-/commit/{commit}")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::forge_url;

    #[test]
    fn forge_urls() {
        let c = "abc";
        assert_eq!(
            forge_url("git@github.com:containerd/containerd.git", c).as_deref(),
            Some("https://github.com/containerd/containerd/commit/abc")
        );
        assert_eq!(forge_url("https://github.com/o/r", c).as_deref(), Some("https://github.com/o/r/commit/abc"));
        assert_eq!(forge_url("ssh://git@gitlab.com/g/sub/r.git", c).as_deref(), Some("https://gitlab.com/g/sub/r/-/commit/abc"));
        assert_eq!(forge_url("https://example.org/o/r.git", c), None);
        assert_eq!(forge_url("/srv/git/r.git", c), None);
    }
}
