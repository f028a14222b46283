//! What every command starts from: the language, the catalog and the attempts store.

use std::path::PathBuf;

use anyhow::{Context, Result};
use revdrill_catalog::Catalog;
use revdrill_pack::{Drill, Lang};
use revdrill_store::{SqliteStore, StoreError};

use crate::cli::{Global, LangArg};
use crate::i18n::t;

/// The run's shared state.
pub struct App {
    /// Language of screens and feedback.
    pub lang: Lang,
    /// Every drill available.
    pub catalog: Catalog,
    /// The attempts database path.
    pub db_path: PathBuf,
    /// "Now" for review cards: the system clock, or `REVDRILL_NOW` (tests only).
    pub clock: revdrill_review::Clock,
}

impl App {
    /// Builds the state from the global flags.
    pub fn new(g: &Global) -> Result<App> {
        let lang = match g.lang {
            Some(LangArg::En) => Lang::En,
            Some(LangArg::Zh) => Lang::Zh,
            None => lang_from_env(),
        };
        let catalog = Catalog::load(&g.packs)
            .map_err(|e| anyhow::anyhow!("{}\n{e}", t(lang, "invalid drill pack:", "drill pack 有误：")))?;
        let db_path = match &g.db {
            Some(p) => p.clone(),
            None => default_db_path().context("cannot find the user's data folder: pass --db PATH")?,
        };
        let clock = revdrill_review::Clock::from_env().map_err(|e| match lang {
            Lang::En => anyhow::anyhow!("{e}"),
            Lang::Zh => anyhow::anyhow!(
                "{}=`{}` 不是 unix 秒数、YYYY-MM-DD 或 YYYY-MM-DDTHH:MM:SSZ",
                revdrill_review::clock::NOW_VAR,
                e.0
            ),
        })?;
        Ok(App { lang, catalog, db_path, clock })
    }

    /// Opens the attempts store.
    pub fn open_store(&self) -> Result<SqliteStore, StoreError> {
        SqliteStore::open(&self.db_path)
    }

    /// A database error as an error in the user's language.
    pub fn store_error(&self, e: StoreError) -> anyhow::Error {
        anyhow::anyhow!(crate::saver::store_error(self.lang, &e))
    }

    /// The drill with this id, or an error listing the known ids.
    pub fn drill(&self, id: &str) -> Result<&Drill> {
        self.catalog.get(id).ok_or_else(|| {
            let ids: Vec<&str> = self.catalog.drills().iter().map(|d| d.id.as_str()).collect();
            anyhow::anyhow!(
                "{} `{id}` ({}: {})",
                t(self.lang, "no drill with id", "没有这个 id 的 drill："),
                t(self.lang, "known", "已有"),
                ids.join(", ")
            )
        })
    }
}

/// The language of the user's locale.
pub fn lang_from_env() -> Lang {
    for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Ok(v) = std::env::var(var) {
            if !v.is_empty() {
                return Lang::from_locale(&v);
            }
        }
    }
    Lang::En
}

fn default_db_path() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "revdrill")?;
    Some(dirs.data_dir().join("revdrill.sqlite"))
}
