//! Team mode: `revdrill serve --database-url URL` (the team server on PostgreSQL) and
//! `revdrill team init` (its first admin and setup link). See docs/team-server.md.

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::app::App;
use crate::cli::{TeamArgs, TeamCommand};
use crate::i18n::t;

/// `revdrill serve --database-url URL`.
pub fn serve(app: &App, database_url: String, addr: SocketAddr, trust_proxy: bool) -> Result<ExitCode> {
    let lang = app.lang;
    let cfg = revdrill_team::ServeConfig { database_url, addr, catalog: app.catalog.clone(), lang, trust_proxy };
    revdrill_team::run(cfg, |addr| {
        let mut out = std::io::stdout();
        let _ = writeln!(out, "{} http://{addr}/", t(lang, "revdrill team server is serving on", "revdrill 团队服务已启动："));
        let _ = writeln!(out, "{}", t(lang, "Press Ctrl-C to stop.", "按 Ctrl-C 停止。"));
        let _ = out.flush();
    })
    .context(t(lang, "the team server stopped", "团队服务已停止"))?;
    Ok(ExitCode::SUCCESS)
}

/// `revdrill team ...`.
pub fn run(app: &App, args: TeamArgs) -> Result<ExitCode> {
    let lang = app.lang;
    match args.command {
        TeamCommand::Init { database_url, email, name, url } => {
            let token = revdrill_team::init(&database_url, &email, &name).context(t(
                lang,
                "cannot initialise the team database",
                "无法初始化团队数据库",
            ))?;
            let mut out = std::io::stdout();
            writeln!(
                out,
                "{}",
                t(
                    lang,
                    "Admin account created. Open this one-time link (valid 7 days) to choose its password:",
                    "管理员账号已创建。请打开下面的一次性链接（7 天内有效）设置密码："
                )
            )?;
            writeln!(out, "{}/join/{token}", url.trim_end_matches('/'))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
