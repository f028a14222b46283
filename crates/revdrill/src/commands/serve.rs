//! `revdrill serve`: the local web app, on the same catalog and attempts database as the CLI
//! (with `--database-url`, the team server: `team.rs`).

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};
use revdrill_web::AppState;

use crate::app::App;
use crate::cli::ServeArgs;
use crate::i18n::t;

pub fn run(app: &App, args: ServeArgs) -> Result<ExitCode> {
    let lang = app.lang;
    if let Some(url) = args.database_url {
        return super::team::serve(app, url, args.addr, args.trust_proxy);
    }
    let state = AppState::new(app.catalog.clone(), &app.db_path, lang)?;
    state.set_clock(app.clock);
    if !args.addr.ip().is_loopback() {
        eprintln!(
            "{}",
            t(
                lang,
                "warning: listening beyond this machine; the app has no login, so anyone who can reach it can read and write your attempts.",
                "警告：正在监听本机以外的地址；本应用没有登录，能访问到它的人都能读写你的作答记录。"
            )
        );
    }
    let db = app.db_path.display().to_string();
    revdrill_web::run(args.addr, state, |addr| {
        let mut out = std::io::stdout();
        let _ = writeln!(out, "{} http://{addr}/", t(lang, "revdrill is serving on", "revdrill 已启动："));
        let _ = writeln!(out, "{} {db}", t(lang, "attempts database:", "作答数据库："));
        let _ = writeln!(out, "{}", t(lang, "Press Ctrl-C to stop.", "按 Ctrl-C 停止。"));
        let _ = out.flush();
    })
    .context(t(lang, "the web server stopped", "网页服务已停止"))?;
    Ok(ExitCode::SUCCESS)
}
