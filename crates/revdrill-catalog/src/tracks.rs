//! Learning tracks: ordered paths through the catalog (`catalog/tracks.toml`), each a list of
//! drills from easy to hard with the categories it trains.
//!
//! A track file is checked against the drills it names when the catalog loads; every problem is
//! a located [`PackError`] (`file:line: field: message`), like a drill pack's.

use std::collections::{BTreeMap, BTreeSet};

use revdrill_pack::{Category, Drill, Lang, Localized, PackError, field_line, toml_error};
use serde::{Deserialize, Serialize};

/// The embedded track file, as the user would name it in an error.
pub const TRACKS_FILE: &str = "catalog/tracks.toml";

/// One learning track.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Track {
    /// Stable id (lower-case letters, digits and `-`), as `revdrill drill --track` takes it.
    pub id: String,
    /// Its name.
    pub title: Localized,
    /// What it trains, in a sentence or two.
    pub description: Localized,
    /// The categories it trains.
    pub categories: Vec<Category>,
    /// Drill ids, from easy to hard.
    pub drills: Vec<String>,
}

impl Track {
    /// How many of its drills are done.
    pub fn done_count(&self, done: &BTreeSet<String>) -> usize {
        self.drills.iter().filter(|d| done.contains(*d)).count()
    }

    /// The first drill not done yet, in track order; `None` when all are done.
    pub fn next<'a>(&'a self, done: &BTreeSet<String>) -> Option<&'a str> {
        self.drills.iter().find(|d| !done.contains(*d)).map(String::as_str)
    }

    /// Title in `lang`.
    pub fn title(&self, lang: Lang) -> &str {
        self.title.get(lang)
    }

    /// The track as a learner sees it in `lang`, with completion from the drills `done`: the
    /// one shape `revdrill tracks --format json` and `GET /api/tracks` print.
    pub fn view<'a>(&'a self, lang: Lang, done: &BTreeSet<String>) -> TrackView<'a> {
        TrackView {
            id: &self.id,
            title: self.title(lang),
            description: self.description.get(lang),
            categories: &self.categories,
            drills: self.drills.iter().map(|d| TrackDrill { id: d, done: done.contains(d) }).collect(),
            done: self.done_count(done),
            total: self.drills.len(),
            next: self.next(done),
        }
    }
}

/// A track with the learner's completion, in one language (see [`Track::view`]).
#[derive(Debug, Serialize)]
pub struct TrackView<'a> {
    /// The track's id.
    pub id: &'a str,
    /// Its name.
    pub title: &'a str,
    /// What it trains and why.
    pub description: &'a str,
    /// The categories it trains.
    pub categories: &'a [Category],
    /// Its drills in order, each marked done or not.
    pub drills: Vec<TrackDrill<'a>>,
    /// How many are done.
    pub done: usize,
    /// How many there are.
    pub total: usize,
    /// The first drill not done yet.
    pub next: Option<&'a str>,
}

/// One drill of a [`TrackView`].
#[derive(Debug, Serialize)]
pub struct TrackDrill<'a> {
    /// The drill id.
    pub id: &'a str,
    /// Whether it has a graded attempt.
    pub done: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTracks {
    #[serde(default)]
    track: Vec<Track>,
}

/// Parses a track file and checks it against `drills`: ids well formed and unique, both
/// languages present, at least one category and one drill, every drill id known, no drill twice,
/// difficulty never going down along a track, and every category it claims trained by a finding
/// of one of its drills.
pub fn parse_tracks(file: &str, text: &str, drills: &[Drill]) -> Result<Vec<Track>, Vec<PackError>> {
    let raw: RawTracks = toml::from_str(text).map_err(|e| vec![toml_error(file, text, &e)])?;
    let by_id: BTreeMap<&str, &Drill> = drills.iter().map(|d| (d.id.as_str(), d)).collect();
    let mut errors = Vec::new();
    let mut at = |field: String, message: String| {
        errors.push(PackError { file: file.to_string(), line: field_line(text, &field), field, message });
    };
    let mut seen = BTreeSet::new();
    for (i, t) in raw.track.iter().enumerate() {
        let f = |name: &str| format!("track[{i}].{name}");
        if t.id.is_empty() || !t.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
            at(f("id"), format!("`{}` is not an id: use lower-case letters, digits and `-`", t.id));
        }
        if !seen.insert(t.id.as_str()) {
            at(f("id"), format!("another track already has the id `{}`", t.id));
        }
        for (name, l) in [("title", &t.title), ("description", &t.description)] {
            if l.en.trim().is_empty() || l.zh.trim().is_empty() {
                at(f(name), "needs both `en` and `zh`".into());
            }
        }
        if t.categories.is_empty() {
            at(f("categories"), "name at least one category the track trains".into());
        }
        if t.drills.is_empty() {
            at(f("drills"), "a track needs at least one drill".into());
        }
        check_drills(t, &by_id, &mut |j, msg| at(format!("track[{i}].drills[{j}]"), msg));
        let trained: BTreeSet<Category> =
            t.drills.iter().filter_map(|d| by_id.get(d.as_str())).flat_map(|d| d.categories()).collect();
        for (k, c) in t.categories.iter().enumerate() {
            if !t.drills.is_empty() && !trained.contains(c) {
                at(format!("track[{i}].categories[{k}]"), format!("none of the track's drills has a `{}` finding", c.as_str()));
            }
        }
    }
    if errors.is_empty() { Ok(raw.track) } else { Err(errors) }
}

fn check_drills(t: &Track, by_id: &BTreeMap<&str, &Drill>, at: &mut dyn FnMut(usize, String)) {
    let mut seen = BTreeSet::new();
    let mut hardest: Option<&Drill> = None;
    for (j, id) in t.drills.iter().enumerate() {
        if !seen.insert(id.as_str()) {
            at(j, format!("`{id}` is already in this track"));
        }
        let Some(d) = by_id.get(id.as_str()) else {
            at(j, format!("no drill with id `{id}` in the catalog"));
            continue;
        };
        match hardest {
            Some(h) if d.difficulty < h.difficulty => at(
                j,
                format!(
                    "`{id}` is {} but comes after `{}` ({}): order drills from easy to hard",
                    d.difficulty.as_str(),
                    h.id,
                    h.difficulty.as_str()
                ),
            ),
            _ => hardest = Some(d),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Catalog;

    const HEAD: &str = "[[track]]\nid = \"t\"\ntitle = { en = \"T\", zh = \"T\" }\ndescription = { en = \"D\", zh = \"D\" }\ncategories = [\"security\"]\n";

    fn check(text: &str, expect: &[&str]) {
        let drills = Catalog::load(&[] as &[&str]).unwrap().drills().to_vec();
        let got: Vec<String> = match parse_tracks("tracks.toml", text, &drills) {
            Ok(_) => vec![],
            Err(e) => e.iter().map(|e| e.to_string()).collect(),
        };
        assert_eq!(got, expect);
    }

    #[test]
    fn unknown_drill_is_located() {
        check(
            &format!("{HEAD}drills = [\n  \"hyper-to-bytes-reserve\",\n  \"no-such-drill\",\n]\n"),
            &["tracks.toml:8: track[0].drills[1]: no drill with id `no-such-drill` in the catalog"],
        );
    }

    #[test]
    fn harder_before_easier_is_refused() {
        check(
            &format!("{HEAD}drills = [\"stereoscope-untar-traversal\", \"hyper-to-bytes-reserve\"]\n"),
            &[
                "tracks.toml:6: track[0].drills[1]: `hyper-to-bytes-reserve` is easy but comes after `stereoscope-untar-traversal` (hard): order drills from easy to hard",
            ],
        );
    }

    #[test]
    fn missing_language_unknown_category_and_duplicates() {
        check(
            "[[track]]\nid = \"a\"\ntitle = { en = \"A\", zh = \"\" }\ndescription = { en = \"D\", zh = \"D\" }\ncategories = [\"security\"]\ndrills = [\"hyper-to-bytes-reserve\", \"hyper-to-bytes-reserve\"]\n",
            &[
                "tracks.toml:3: track[0].title: needs both `en` and `zh`",
                "tracks.toml:6: track[0].drills[1]: `hyper-to-bytes-reserve` is already in this track",
            ],
        );
        let bad_cat = format!("{HEAD}drills = []\n").replace("\"security\"", "\"speed\"");
        let drills = Catalog::load(&[] as &[&str]).unwrap().drills().to_vec();
        let e = parse_tracks("tracks.toml", &bad_cat, &drills).unwrap_err();
        assert_eq!(e[0].line, Some(5), "{e:?}");
        assert!(e[0].message.contains("speed"), "{e:?}");
    }

    #[test]
    fn a_category_no_drill_trains_is_refused() {
        check(
            &format!("{HEAD}drills = [\"airflow-dag-tags-n-plus-one\"]\n"),
            &["tracks.toml:5: track[0].categories[0]: none of the track's drills has a `security` finding"],
        );
    }

    #[test]
    fn the_catalog_tracks_load() {
        let c = Catalog::load(&[] as &[&str]).unwrap();
        assert!(!c.tracks().is_empty());
        assert!(c.track("security").is_some_and(|t| t.categories.contains(&Category::Security)));
    }

    #[test]
    fn next_is_the_first_undone_in_order() {
        let c = Catalog::load(&[] as &[&str]).unwrap();
        let t = &c.tracks()[0];
        let mut done = BTreeSet::new();
        assert_eq!(t.next(&done), Some(t.drills[0].as_str()));
        done.insert(t.drills[0].clone());
        assert_eq!(t.next(&done), Some(t.drills[1].as_str()));
        assert_eq!(t.done_count(&done), 1);
        done.extend(t.drills.iter().cloned());
        assert_eq!(t.next(&done), None);
    }
}
