//! The catalog: the drills compiled into the binary (the repository's `catalog/` folder) and
//! any packs from disk given with `--packs`, as one list ordered by id.
//!
//! Architecture invariant: the catalog only loads and looks up drills; it never grades. A drill
//! whose groups name a concept that neither it nor the grader's lexicon defines is rejected
//! when it loads (`revdrill_grader::check_concepts`), not only by `revdrill packs check`.
#![deny(missing_docs)]

mod counts;

pub use counts::{Counts, counts};

use std::collections::BTreeMap;
use std::path::Path;

use include_dir::{Dir, include_dir};
use revdrill_pack::{Drill, DrillFiles, Lang, Origin, PackErrors, duplicate_ids, load_drill, load_pack};

mod tracks;
pub use tracks::{TRACKS_FILE, Track, TrackDrill, TrackView, parse_tracks};

static EMBEDDED: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../../catalog");
static EMBEDDED_TRACKS: &str = include_str!("../../../catalog/tracks.toml");

/// All drills available to a run.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    drills: Vec<Drill>,
    tracks: Vec<Track>,
}

impl Catalog {
    /// The embedded drills, then each pack folder in `packs`. Any invalid drill, or two drills
    /// with one id (embedded and on disk, or both on disk), makes this fail with all problems
    /// found.
    pub fn load(packs: &[impl AsRef<Path>]) -> Result<Catalog, PackErrors> {
        let mut all = embedded()?;
        let mut errors = PackErrors::default();
        for dir in packs {
            let (drills, errs) = load_pack(dir.as_ref());
            errors.0.extend(errs.0);
            for d in &drills {
                errors.0.extend(revdrill_grader::check_concepts(d));
            }
            all.extend(drills);
        }
        errors.0.extend(duplicate_ids(&all));
        if !errors.0.is_empty() {
            return Err(errors);
        }
        all.sort_by(|a, b| a.id.cmp(&b.id));
        let tracks = parse_tracks(TRACKS_FILE, EMBEDDED_TRACKS, &all).map_err(PackErrors)?;
        Ok(Catalog { drills: all, tracks })
    }

    /// The learning tracks, in file order.
    pub fn tracks(&self) -> &[Track] {
        &self.tracks
    }

    /// The track with this id.
    pub fn track(&self, id: &str) -> Option<&Track> {
        self.tracks.iter().find(|t| t.id == id)
    }

    /// The drills, by id.
    pub fn drills(&self) -> &[Drill] {
        &self.drills
    }

    /// The drill with this id.
    pub fn get(&self, id: &str) -> Option<&Drill> {
        self.drills.iter().find(|d| d.id == id)
    }

    /// The drill to practise next: the seed drill first, then any not done yet, then the one
    /// whose categories are weakest (ties go to the one with the lower best score).
    ///
    /// `best` maps drill ids done to their best score; `strength` maps category names to the
    /// share of points earned in them (0.0-1.0).
    pub fn next_drill(&self, best: &BTreeMap<String, u8>, strength: &BTreeMap<String, f64>) -> Option<&Drill> {
        let mut order: Vec<&Drill> = self.drills.iter().collect();
        order.sort_by_key(|d| d.id != SEED_DRILL);
        if let Some(d) = order.iter().find(|d| !best.contains_key(&d.id)) {
            return Some(d);
        }
        let weakness = |d: &Drill| -> f64 {
            let worst = d.categories().iter().filter_map(|c| strength.get(c.as_str())).copied().fold(1.0, f64::min);
            worst + best.get(&d.id).map_or(0.0, |b| *b as f64 / 100.0) * 0.5
        };
        order.into_iter().min_by(|a, b| weakness(a).total_cmp(&weakness(b)))
    }
}

/// The drill from the user's original example: offered first.
pub const SEED_DRILL: &str = "containerd-shimv1-leak";

/// The drills compiled into the binary.
pub fn embedded() -> Result<Vec<Drill>, PackErrors> {
    let mut drills = Vec::new();
    let mut errors = PackErrors::default();
    for dir in EMBEDDED.dirs() {
        let name = dir.path().to_string_lossy().to_string();
        let mut files = BTreeMap::new();
        collect(dir, dir.path(), &mut files);
        if !files.contains_key("drill.toml") {
            continue;
        }
        match load_drill(&DrillFiles { dir: format!("catalog/{name}"), origin: Origin::Embedded, files }) {
            Ok(d) => {
                errors.0.extend(revdrill_grader::check_concepts(&d));
                drills.push(d)
            }
            Err(e) => errors.0.extend(e.0),
        }
    }
    if errors.0.is_empty() { Ok(drills) } else { Err(errors) }
}

fn collect(dir: &Dir<'_>, root: &Path, out: &mut BTreeMap<String, String>) {
    for f in dir.files() {
        if let (Ok(rel), Some(text)) = (f.path().strip_prefix(root), f.contents_utf8()) {
            out.insert(rel.to_string_lossy().replace('\\', "/"), text.to_string());
        }
    }
    for d in dir.dirs() {
        collect(d, root, out);
    }
}

/// The reusable PR review template, as Markdown.
pub fn review_template(lang: Lang) -> &'static str {
    match lang {
        Lang::En => include_str!("../templates/review-template.en.md"),
        Lang::Zh => include_str!("../templates/review-template.zh.md"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pack_naming_an_unknown_concept_is_rejected_when_it_loads() {
        let root = std::env::temp_dir().join(format!("revdrill-catalog-test-{}", std::process::id()));
        let dir = root.join("leek-drill");
        std::fs::create_dir_all(&dir).unwrap();
        let seed = EMBEDDED.get_dir(SEED_DRILL).unwrap();
        let mut files = BTreeMap::new();
        collect(seed, seed.path(), &mut files);
        for (name, text) in &files {
            let text = if name == "drill.toml" {
                text.replacen("id = \"containerd-shimv1-leak\"", "id = \"leek-drill\"", 1).replacen(
                    "hit = [[\"leak\", \"never-cancelled\"]",
                    "hit = [[\"leek\", \"never-cancelled\"]",
                    1,
                )
            } else {
                text.clone()
            };
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let result = Catalog::load(&[&root]);
        std::fs::remove_dir_all(&root).unwrap();
        let errors = result.expect_err("an unknown concept must fail the load");
        assert!(errors.0.iter().any(|e| e.message.contains("unknown concept `leek`")), "{errors:?}");
    }

    #[test]
    fn next_drill_is_the_seed_then_undone_then_the_weakest() {
        let c = Catalog::load(&[] as &[&Path]).unwrap();
        let (none, flat): (BTreeMap<String, u8>, BTreeMap<String, f64>) = (BTreeMap::new(), BTreeMap::new());
        assert_eq!(c.next_drill(&none, &flat).unwrap().id, SEED_DRILL);
        let mut best: BTreeMap<String, u8> = BTreeMap::new();
        best.insert(SEED_DRILL.into(), 50);
        assert_ne!(c.next_drill(&best, &flat).unwrap().id, SEED_DRILL);
        for d in c.drills() {
            best.insert(d.id.clone(), 90);
        }
        let mut strength = BTreeMap::new();
        for cat in revdrill_pack::Category::ALL {
            strength.insert(cat.as_str().to_string(), 1.0);
        }
        strength.insert("security".into(), 0.1);
        assert!(c.next_drill(&best, &strength).unwrap().categories().contains(&revdrill_pack::Category::Security));
    }

    #[test]
    fn a_pack_drill_with_an_embedded_id_is_an_error_naming_both() {
        // Before: the drill on disk silently replaced the embedded one.
        let tmp = tempfile::tempdir().unwrap();
        let src = EMBEDDED.get_dir(SEED_DRILL).unwrap();
        let dir = tmp.path().join("copy");
        std::fs::create_dir(&dir).unwrap();
        for name in ["drill.toml", "change.diff"] {
            std::fs::write(dir.join(name), src.get_file(format!("{SEED_DRILL}/{name}")).unwrap().contents()).unwrap();
        }
        let err = Catalog::load(&[&dir]).unwrap_err().to_string();
        let expect = format!(
            "{}:1: id: drill id `{SEED_DRILL}` is also the id of catalog/{SEED_DRILL}/drill.toml",
            dir.join("drill.toml").display()
        );
        assert!(err.starts_with(&expect), "{err}");
    }
}
