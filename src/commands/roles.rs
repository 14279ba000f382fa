//! `roles --min-session DUR`: lists the account's roles (`gather/live/roles.rs`), sorts them
//! (`checks/roles.rs`), and renders the audit.

use super::Output;
use crate::checks::roles;
use crate::cli::{RolesArgs, RolesOutput};
use crate::env::Env;
use crate::gather::live;
use crate::render;

pub async fn run(args: &RolesArgs, env: &Env) -> Output {
    let deadline = tokio::time::Instant::now() + args.timeout;
    // aws-config reads the files with blocking calls: a FIFO would hold the run forever.
    if let Some(path) = crate::gather::profiles::file_paths(env)
        .into_iter()
        .flatten()
        .find(|p| crate::gather::files::blocks_sdk(p))
    {
        return Output::error(&render::roles::config_would_block(&path), 1);
    }
    let load = live::sdk::load(args.profile.as_deref(), args.region.as_deref(), deadline);
    let listed = match tokio::time::timeout_at(deadline, load).await {
        Ok(config) => live::roles::list(&config, deadline, env.clock()).await,
        Err(_) => Err(live::errors::timeout(args.timeout)),
    };
    match listed {
        Ok(listed) => {
            let audit = roles::classify(
                &listed,
                args.min_session.as_secs() as i64,
                args.margin.as_secs() as i64,
            );
            Output::stdout(
                match args.output {
                    RolesOutput::Table => render::roles::table(&audit),
                    RolesOutput::Json => render::roles::json(&audit),
                    RolesOutput::Markdown => render::roles::markdown(&audit),
                },
                audit.exit_code(),
            )
        }
        Err(e) => Output::error(&render::roles::list_failed(&e), 1),
    }
}
