//! The man pages: `expiry-doctor(1)` and one per command (`expiry-doctor-check(1)`, …),
//! generated from the clap definitions so that they cannot drift from `--help`.
//!
//! clap_mangen renders the name, synopsis, description and options; this module adds what a
//! man page owes its reader beyond those: EXIT STATUS and EXAMPLES (read from each command's
//! own `--help` epilogue, its `Exit codes:` and `Examples:` blocks), ENVIRONMENT (every
//! `EXPIRY_DOCTOR_*` variable a flag takes from `Arg::get_env`, so a flag made env-backed
//! appears by itself, and the variables gathering reads, listed in [`ENVIRONMENT`]; a test
//! holds that list to the names the source reads), FILES and SEE ALSO.

use super::Output;
use crate::cli::{Cli, ManArgs};
use clap::CommandFactory;
use roff::{Roff, bold, italic, roman};

/// The commands that find and judge credentials: the AWS variables and files apply to them.
const GATHERING: &[&str] = &["check", "exec", "roles", "prompt"];

/// Who reads a variable: every command that gathers, or only some.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Readers {
    /// The commands of [`GATHERING`].
    Gathering,
    /// Every command (colour, the terminal).
    All,
    /// These commands only.
    Only(&'static [&'static str]),
}

/// A group of environment variables and what they do.
pub struct EnvVar {
    pub names: &'static [&'static str],
    pub readers: Readers,
    pub what: &'static str,
}

/// The variables expiry-doctor reads itself (the flags' own `EXPIRY_DOCTOR_*` come from clap).
/// The AWS SDK's own variables reach it too: gathering hands the environment to aws-config
/// and models botocore's reading of it.
pub const ENVIRONMENT: &[EnvVar] = &[
    EnvVar {
        names: &["AWS_PROFILE", "AWS_DEFAULT_PROFILE"],
        readers: Readers::Gathering,
        what: "The profile the job selects, as its SDK would take it (--profile overrides it; \
               AWS_DEFAULT_PROFILE is botocore's older name).",
    },
    EnvVar {
        names: &[
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_SECURITY_TOKEN",
            "SECRET_ACCESS_KEY",
        ],
        readers: Readers::Gathering,
        what: "Exported credentials, which win over any profile in every SDK's default chain. \
               Their values are never printed: a key id is shown masked.",
    },
    EnvVar {
        names: &[
            "AWS_CREDENTIAL_EXPIRATION",
            "AWS_SESSION_EXPIRATION",
            "AWS_CREDENTIALS_EXPIRATION",
            "AWS_SSO_SESSION_EXPIRATION",
            "AWS_OKTA_SESSION_EXPIRATION",
            "AWSUME_EXPIRATION",
        ],
        readers: Readers::Gathering,
        what: "When exported credentials expire, as the tools that export them say it (the AWS \
               CLI's export-credentials, aws-vault, saml2aws, aws-okta, awsume).",
    },
    EnvVar {
        names: &["AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"],
        readers: Readers::Only(&["check", "exec", "roles", "prompt", "completions"]),
        what: "The config and credentials files, instead of ~/.aws/config and \
               ~/.aws/credentials (completion reads their profile names).",
    },
    EnvVar {
        names: &[
            "AWS_ROLE_ARN",
            "AWS_WEB_IDENTITY_TOKEN_FILE",
            "KUBERNETES_SERVICE_HOST",
        ],
        readers: Readers::Gathering,
        what: "Web identity (EKS IRSA, GitHub and GitLab OIDC): the role, the token file (whose \
               expiry is read, never its signature or subject), and whether a kubelet rotates it.",
    },
    EnvVar {
        names: &[
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
        ],
        readers: Readers::Gathering,
        what: "Container credentials (ECS task roles, EKS Pod Identity): the endpoint and its \
               authorization token.",
    },
    EnvVar {
        names: &[
            "AWS_EC2_METADATA_DISABLED",
            "AWS_EC2_METADATA_V1_DISABLED",
            "AWS_EC2_METADATA_SERVICE_ENDPOINT",
            "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
            "AWS_IMDS_USE_IPV6",
            "AWS_METADATA_SERVICE_TIMEOUT",
            "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
        ],
        readers: Readers::Gathering,
        what: "The instance metadata service (an EC2 instance role): whether and where it is \
               asked, and how patiently, as the SDKs read these.",
    },
    EnvVar {
        names: &["AWS_REGION", "AWS_DEFAULT_REGION"],
        readers: Readers::Gathering,
        what: "The region for STS and IAM calls (--region overrides them).",
    },
    EnvVar {
        names: &[
            "AWS_ENDPOINT_URL",
            "AWS_ENDPOINT_URL_STS",
            "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
            "AWS_RETRY_MODE",
            "AWS_MAX_ATTEMPTS",
        ],
        readers: Readers::Gathering,
        what: "Where the SDKs send STS (and IAM) calls and how often they retry.",
    },
    EnvVar {
        names: &["HOME"],
        readers: Readers::Only(&["check", "exec", "roles", "prompt", "completions"]),
        what: "Where ~/.aws is: the config files and the AWS CLI's and SSO's caches.",
    },
    EnvVar {
        names: &["PATH"],
        readers: Readers::Only(&["check", "exec", "roles"]),
        what: "Where a profile's credential_process (run by sh) and exec's JOB are found.",
    },
    EnvVar {
        names: &["TZ"],
        readers: Readers::Gathering,
        what: "The local time zone, for an expiry written without one (AWSUME_EXPIRATION).",
    },
    EnvVar {
        names: &["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "TERM"],
        readers: Readers::All,
        what: "Colour with --color auto: NO_COLOR (any value) turns it off, CLICOLOR=0 too; \
               CLICOLOR_FORCE turns it on; TERM=dumb off. --color always and never win over \
               them (an explicit flag beats the environment).",
    },
    EnvVar {
        names: &[super::completions::VAR],
        readers: Readers::Only(&["completions"]),
        what: "Set by the scripts `completions` prints when the shell asks the binary for \
               candidates (with the shell's name); not to be set by hand.",
    },
];

/// What a command's `--help` epilogue says under `Examples:` and `Exit codes:`.
#[derive(Debug, Default, PartialEq)]
pub struct Epilogue {
    pub examples: Vec<String>,
    /// Each code and its meaning; a code-less line (exec's "the job's own exit code") has "".
    pub exit_codes: Vec<(String, String)>,
}

/// Reads the `Examples:` and `Exit codes:` blocks of an `after_help` text: each entry is
/// indented by two spaces, an exit code is a number followed by its meaning, and a line
/// indented further continues the entry before it.
pub fn epilogue(text: &str) -> Epilogue {
    #[derive(PartialEq)]
    enum Block {
        None,
        Examples,
        ExitCodes,
    }
    let mut block = Block::None;
    let mut out = Epilogue::default();
    for line in text.lines() {
        match line.trim_end() {
            "Examples:" => block = Block::Examples,
            "Exit codes:" => block = Block::ExitCodes,
            "" => {}
            l if !l.starts_with(' ') => block = Block::None,
            l => match block {
                Block::None => {}
                Block::Examples => out.examples.push(l.trim().to_string()),
                Block::ExitCodes => {
                    let body = l.trim();
                    let continues = l.len() - l.trim_start().len() > 2;
                    if continues && let Some(last) = out.exit_codes.last_mut() {
                        last.1.push(' ');
                        last.1.push_str(body);
                        continue;
                    }
                    match body.split_once(char::is_whitespace) {
                        Some((code, meaning)) if code.bytes().all(|b| b.is_ascii_digit()) => {
                            out.exit_codes
                                .push((code.to_string(), meaning.trim().to_string()));
                        }
                        _ => out.exit_codes.push((String::new(), body.to_string())),
                    }
                }
            },
        }
    }
    out
}

/// The definitions the pages are made of: built (global flags propagated), the version
/// without the git revision so that the committed pages do not change with every commit.
fn cli() -> clap::Command {
    let mut cmd = Cli::command().version(env!("CARGO_PKG_VERSION"));
    cmd.build();
    cmd
}

/// The commands with a page of their own.
fn commands(cmd: &clap::Command) -> Vec<&clap::Command> {
    cmd.get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
        .collect()
}

/// Every page: its file name (`expiry-doctor-check.1`) and its roff text, the overview first.
pub fn pages() -> Vec<(String, String)> {
    let cmd = cli();
    let mut out = vec![("expiry-doctor.1".to_string(), ascii(overview(&cmd)))];
    for sub in commands(&cmd) {
        out.push((
            format!("expiry-doctor-{}.1", sub.get_name()),
            ascii(command_page(&cmd, sub)),
        ));
    }
    out
}

/// `man [COMMAND]`.
pub fn run(args: &ManArgs) -> Output {
    let cmd = cli();
    match args.command.as_deref() {
        None => Output::stdout(ascii(overview(&cmd)), 0),
        Some(name) => match commands(&cmd).into_iter().find(|s| s.get_name() == name) {
            Some(sub) => Output::stdout(ascii(command_page(&cmd, sub)), 0),
            None => Output::error(
                &format!(
                    "no man page for '{name}'; the commands are {}",
                    commands(&cmd)
                        .iter()
                        .map(|s| s.get_name())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                2,
            ),
        },
    }
}

/// A page in ASCII: every other character as groff's `\[uXXXX]` escape (troff reads its
/// input as Latin-1, and warns at `⏳` or `…` in the help text).
fn ascii(page: String) -> String {
    if page.is_ascii() {
        return page;
    }
    let mut out = String::with_capacity(page.len() + 16);
    for c in page.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&format!("\\[u{:04X}]", c as u32));
        }
    }
    out
}

/// The parts clap_mangen renders, in order, as one text (each part's preamble once).
fn mangen_parts(man: &clap_mangen::Man, parts: &[Part]) -> String {
    let mut text = String::new();
    for part in parts {
        let mut buf = Vec::new();
        let rendered = match part {
            Part::Title => man.render_title(&mut buf),
            Part::Name => man.render_name_section(&mut buf),
            Part::Synopsis => man.render_synopsis_section(&mut buf),
            Part::Description => man.render_description_section(&mut buf),
            Part::Options => man.render_options_section(&mut buf),
            Part::Commands => man.render_subcommands_section(&mut buf),
            Part::Version => man.render_version_section(&mut buf),
        };
        rendered.expect("rendering to memory cannot fail");
        let part = String::from_utf8_lossy(&buf).into_owned();
        text.push_str(if text.is_empty() {
            &part
        } else {
            strip_preamble(&part)
        });
    }
    text
}

enum Part {
    Title,
    Name,
    Synopsis,
    Description,
    Options,
    Commands,
    Version,
}

/// Without roff's apostrophe preamble, which every rendering starts with.
fn strip_preamble(text: &str) -> &str {
    let mut rest = text;
    for _ in 0..2 {
        if rest.starts_with(".ie ") || rest.starts_with(".el ") {
            rest = rest.split_once('\n').map_or("", |(_, r)| r);
        }
    }
    rest
}

/// Our own sections, rendered without a preamble (the page already has one).
fn sections(roff: &Roff) -> String {
    let text = roff.render();
    strip_preamble(&text).to_string()
}

fn overview(cmd: &clap::Command) -> String {
    let man = clap_mangen::Man::new(cmd.clone());
    let mut text = mangen_parts(
        &man,
        &[
            Part::Title,
            Part::Name,
            Part::Synopsis,
            Part::Description,
            Part::Options,
            Part::Commands,
        ],
    );
    let subs = commands(cmd);
    let mut roff = Roff::new();
    roff.control("SH", ["EXIT STATUS"]);
    roff.text([roman(
        "Each command has exit codes of its own (see its page); for every one, a usage error \
         is 2.",
    )]);
    for sub in &subs {
        let codes = epilogue(&after_help(sub)).exit_codes;
        let heading = format!("expiry-doctor {}", sub.get_name());
        roff.control("SS", [heading.as_str()]);
        exit_codes(&mut roff, &codes);
    }
    let names: Vec<&str> = subs.iter().map(|s| s.get_name()).collect();
    environment(&mut roff, cmd, &names);
    files(&mut roff, &names);
    roff.control("SH", ["EXAMPLES"]);
    for sub in &subs {
        if let Some(first) = epilogue(&after_help(sub)).examples.first() {
            example(&mut roff, first);
        }
    }
    roff.control("SH", ["SEE ALSO"]);
    let see: Vec<String> = subs
        .iter()
        .map(|s| format!("expiry-doctor-{}(1)", s.get_name()))
        .collect();
    see_also(&mut roff, &see);
    text.push_str(&sections(&roff));
    text.push_str(&mangen_parts(&man, &[Part::Version]));
    text
}

fn command_page(top: &clap::Command, sub: &clap::Command) -> String {
    let name = sub.get_name();
    let page = sub
        .clone()
        .display_name(format!("expiry-doctor-{name}"))
        .bin_name(format!("expiry-doctor {name}"))
        .version(env!("CARGO_PKG_VERSION"));
    let man =
        clap_mangen::Man::new(page).source(format!("expiry-doctor {}", env!("CARGO_PKG_VERSION")));
    let mut text = mangen_parts(
        &man,
        &[
            Part::Title,
            Part::Name,
            Part::Synopsis,
            Part::Description,
            Part::Options,
        ],
    );
    let help = epilogue(&after_help(sub));
    let mut roff = Roff::new();
    roff.control("SH", ["EXIT STATUS"]);
    exit_codes(&mut roff, &help.exit_codes);
    environment(&mut roff, top, &[name]);
    files(&mut roff, &[name]);
    if !help.examples.is_empty() {
        roff.control("SH", ["EXAMPLES"]);
        for e in &help.examples {
            example(&mut roff, e);
        }
    }
    roff.control("SH", ["SEE ALSO"]);
    see_also(&mut roff, &["expiry-doctor(1)".to_string()]);
    text.push_str(&sections(&roff));
    text.push_str(&mangen_parts(&man, &[Part::Version]));
    text
}

fn after_help(cmd: &clap::Command) -> String {
    cmd.get_after_long_help()
        .or_else(|| cmd.get_after_help())
        .map(|s| s.to_string())
        .unwrap_or_default()
}

fn exit_codes(roff: &mut Roff, codes: &[(String, String)]) {
    for (code, meaning) in codes {
        if code.is_empty() {
            roff.control("PP", []);
            roff.text([roman(capitalised(meaning))]);
        } else {
            roff.control("TP", []);
            roff.text([bold(code.as_str())]);
            roff.text([roman(capitalised(meaning))]);
        }
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The variables the commands `names` read: the flags' own (`Arg::get_env`), then
/// [`ENVIRONMENT`]'s.
fn environment(roff: &mut Roff, top: &clap::Command, names: &[&str]) {
    roff.control("SH", ["ENVIRONMENT"]);
    let mut flags: Vec<(String, String, String)> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for sub in top
        .get_subcommands()
        .filter(|s| names.contains(&s.get_name()))
    {
        for arg in sub.get_arguments() {
            let (Some(var), Some(long)) = (arg.get_env(), arg.get_long()) else {
                continue;
            };
            let var = var.to_string_lossy().into_owned();
            if seen.insert(var.clone()) {
                let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
                flags.push((var, format!("--{long}"), help));
            }
        }
    }
    for (var, flag, help) in flags {
        roff.control("TP", []);
        roff.text([bold(var)]);
        roff.text([
            roman("The value of "),
            bold(flag),
            roman(format!(" when it is not given. {help}")),
        ]);
    }
    for v in ENVIRONMENT.iter().filter(|v| match v.readers {
        Readers::All => true,
        Readers::Gathering => names.iter().any(|n| GATHERING.contains(n)),
        Readers::Only(only) => names.iter().any(|n| only.contains(n)),
    }) {
        // One tag a line (`.TQ` adds one), so that no name is hyphenated or broken.
        for (i, name) in v.names.iter().enumerate() {
            roff.control(if i == 0 { "TP" } else { "TQ" }, []);
            roff.text([bold(*name)]);
        }
        roff.text([roman(v.what)]);
    }
}

fn files(roff: &mut Roff, names: &[&str]) {
    let gathers = names.iter().any(|n| GATHERING.contains(n));
    let completes = names.contains(&"completions");
    if !gathers && !completes {
        return;
    }
    roff.control("SH", ["FILES"]);
    let mut entry = |path: &str, what: &str| {
        roff.control("TP", []);
        roff.text([italic(path)]);
        roff.text([roman(what)]);
    };
    entry(
        "~/.aws/config",
        "Profiles, roles, SSO sessions, credential_process (AWS_CONFIG_FILE names another).",
    );
    entry(
        "~/.aws/credentials",
        "Keys by profile (AWS_SHARED_CREDENTIALS_FILE names another); only whether they are \
         there and their key id, masked, are reported.",
    );
    if gathers {
        entry(
            "~/.aws/cli/cache/*.json",
            "The AWS CLI's cached role sessions: their expiry.",
        );
        entry(
            "~/.aws/sso/cache/*.json",
            "IAM Identity Center tokens: when the SSO session ends.",
        );
    }
    roff.control("PP", []);
    roff.text([roman(
        "Every file is read without blocking (a FIFO is refused), capped in size, and never \
         written.",
    )]);
}

fn example(roff: &mut Roff, line: &str) {
    roff.control("PP", []);
    roff.control("RS", ["4"]);
    roff.control("nf", []);
    roff.text([roman(line)]);
    roff.control("fi", []);
    roff.control("RE", []);
}

fn see_also(roff: &mut Roff, pages: &[String]) {
    let mut inlines = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        if i > 0 {
            inlines.push(roman(", "));
        }
        let (name, section) = page.split_once('(').unwrap_or((page, ""));
        inlines.push(bold(name));
        if !section.is_empty() {
            inlines.push(roman(format!("({section}")));
        }
    }
    roff.text(inlines);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flag_a_variable_sets_is_listed_with_it() {
        let top = clap::Command::new("expiry-doctor").subcommand(
            clap::Command::new("check").arg(
                clap::Arg::new("expected_runtime")
                    .long("expected-runtime")
                    .env("EXPIRY_DOCTOR_EXPECTED_RUNTIME")
                    .help("How long the job runs."),
            ),
        );
        let mut roff = Roff::new();
        environment(&mut roff, &top, &["check"]);
        let text = roff.render();
        assert!(text.contains("EXPIRY_DOCTOR_EXPECTED_RUNTIME"), "{text}");
        assert!(text.contains(r"\-\-expected\-runtime"), "{text}");
        let mut roff = Roff::new();
        environment(&mut roff, &top, &["triage"]);
        assert!(!roff.render().contains("EXPIRY_DOCTOR_EXPECTED_RUNTIME"));
    }

    #[test]
    fn epilogues_are_read() {
        let e = epilogue(
            "Examples:\n  expiry-doctor triage --log job.log\n\nExit codes:\n  0  none found\n  2  usage error; or\n     stopped at --timeout\n  the job's own",
        );
        assert_eq!(e.examples, ["expiry-doctor triage --log job.log"]);
        assert_eq!(
            e.exit_codes,
            [
                ("0".to_string(), "none found".to_string()),
                (
                    "2".to_string(),
                    "usage error; or stopped at --timeout".to_string()
                ),
                (String::new(), "the job's own".to_string()),
            ]
        );
    }
}
