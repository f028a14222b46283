//! The size of the catalog: drills per category, per language and per difficulty, as
//! `revdrill list` and the web catalog page show it.

use revdrill_pack::{Category, Difficulty, Drill};

/// How many drills there are, in total and by category, language and difficulty. A drill
/// counts once for each category it has a finding in (as the category filter keeps it).
/// Categories and difficulties with no drill are left out; languages are sorted by name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Counts {
    /// Every drill.
    pub total: usize,
    /// Per category, in the pack format's order.
    pub categories: Vec<(Category, usize)>,
    /// Per language name.
    pub languages: Vec<(String, usize)>,
    /// Per difficulty, easy first.
    pub difficulties: Vec<(Difficulty, usize)>,
}

/// Counts `drills`.
pub fn counts(drills: &[Drill]) -> Counts {
    let categories = Category::ALL
        .into_iter()
        .map(|c| (c, drills.iter().filter(|d| d.categories().contains(&c)).count()))
        .filter(|(_, n)| *n > 0)
        .collect();
    let mut names: Vec<&str> = drills.iter().map(|d| d.language.as_str()).collect();
    names.sort();
    names.dedup();
    let languages = names.iter().map(|l| (l.to_string(), drills.iter().filter(|d| d.language == *l).count())).collect();
    let difficulties = [Difficulty::Easy, Difficulty::Medium, Difficulty::Hard]
        .into_iter()
        .map(|x| (x, drills.iter().filter(|d| d.difficulty == x).count()))
        .filter(|(_, n)| *n > 0)
        .collect();
    Counts { total: drills.len(), categories, languages, difficulties }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_add_up_over_the_embedded_catalog() {
        let drills = crate::embedded().unwrap();
        let c = counts(&drills);
        assert_eq!(c.total, drills.len());
        assert_eq!(c.languages.iter().map(|x| x.1).sum::<usize>(), c.total);
        assert_eq!(c.difficulties.iter().map(|x| x.1).sum::<usize>(), c.total);
        let go = drills.iter().filter(|d| d.language == "go").count();
        assert!(c.languages.contains(&("go".to_string(), go)));
        let sec = drills.iter().filter(|d| d.findings.iter().any(|f| f.category == Category::Security)).count();
        assert!(sec > 0 && c.categories.contains(&(Category::Security, sec)));
        assert!(c.categories.iter().all(|x| x.1 > 0));
    }
}
