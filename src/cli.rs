//! Every flag, in one place, with help that teaches.
//!
//! Values are validated here, at parse time, so that a bad flag is a one-line clap error
//! naming the flag and the accepted form (exit 2) before any work starts. The only variables
//! read here are the flags' own `EXPIRY_DOCTOR_<FLAG>` (clap's `env`, shown in `--help`);
//! `AWS_PROFILE` and friends are read by gathering, through `Env`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::time::Duration;

/// Every command's exit codes, as each command's own `--help` gives them (a test holds the two
/// to each other, and the man pages' EXIT STATUS is made from the commands' own).
const EXIT_CODES: &str = "\
Exit codes:
  check
    0  pass (warnings allowed unless --fail-on warn)
    1  the gate failed: the credentials will not last, or cannot be used
    2  usage error, unreadable --facts file, internal error
  exec
    the job's own exit code (128 + N when a signal N killed it)
    1    the pre-flight check failed and the job was not started
    2    usage error
    126  the job could not be executed (permission denied, not an executable)
    127  the job was not found
  triage
    0  no credential or clock cause found
    1  a credential or clock cause found (expiry, SSO, clock skew, no or invalid credentials)
    2  usage error, unreadable log; or none found in a log read only in part (cut short,
       stopped at --timeout, mostly not text)
  roles
    0  every assumable role can give the session
    1  some cannot, or the roles could not be listed
    2  usage error
  prompt
    0  always, whatever the credentials (the text says it)
    2  usage error
  completions, man, explain
    0  printed
    2  usage error";

#[derive(Debug, Parser)]
#[command(
    name = "expiry-doctor",
    version = env!("EXPIRY_DOCTOR_VERSION"),
    about = "Will your AWS credentials outlive your job? Why not, and what exactly to change.",
    long_about = "Will your AWS credentials outlive your job? Why not, and what exactly to change.\n\n\
        expiry-doctor finds the credentials your job's SDK would use, reads when they expire and \
        whether anything refreshes them, compares that with how long the job runs, and prints the \
        exact command or config change that fixes what it finds.\n\n\
        Without a command it runs `check`, its flags taken from their EXPIRY_DOCTOR_<FLAG> \
        variables (EXPIRY_DOCTOR_EXPECTED_RUNTIME=6h, EXPIRY_DOCTOR_OFFLINE=true): set them once \
        in a CI job, and `expiry-doctor` alone is the gate.",
    after_help = EXIT_CODES,
    propagate_version = true
)]
pub struct Cli {
    /// The command; none runs `check` (the doctor convention: `flutter doctor`, `brew doctor`),
    /// with its flags from the EXPIRY_DOCTOR_* variables. [`Cli::parse_args`] fills it in.
    #[command(subcommand)]
    command: Option<Command>,

    /// Colour: auto (a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto, global = true)]
    pub color: ColorWhen,

    /// Also print the AWS SDK's own log events (aws-config, STS, IAM) on stderr.
    ///
    /// For when the findings' words are not enough: every event the SDK logs at debug level
    /// while it loads the configuration, resolves credentials and calls STS and IAM, with key
    /// ids, secrets and tokens masked. The report itself is unchanged.
    #[arg(long, global = true)]
    pub debug: bool,
}

/// What to run, once parsed: always a command.
#[derive(Debug)]
pub struct Invocation {
    pub command: Command,
    pub color: ColorWhen,
    pub debug: bool,
}

impl Cli {
    /// Parses the arguments (the program name first). Without a command it is `check`, whose
    /// flags then come from their EXPIRY_DOCTOR_* variables and defaults: `expiry-doctor
    /// --color never` is `expiry-doctor --color never check`.
    ///
    /// A bad value that came from a variable (`env_is_set` says which are set) is named with
    /// it, as clap alone names only the flag.
    pub fn parse_args<I, T>(
        args: I,
        env_is_set: impl Fn(&str) -> bool,
    ) -> Result<Invocation, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let mut args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
        let mut cli = <Cli as Parser>::try_parse_from(&args)
            .map_err(|e| name_variable(e, &args, &env_is_set))?;
        if cli.command.is_none() {
            args.push("check".into());
            cli = <Cli as Parser>::try_parse_from(&args)
                .map_err(|e| name_variable(e, &args, &env_is_set))?;
        }
        match cli.command {
            Some(command) => Ok(Invocation {
                command,
                color: cli.color,
                debug: cli.debug,
            }),
            None => Err(<Cli as clap::CommandFactory>::command()
                .error(clap::error::ErrorKind::MissingSubcommand, "no command")),
        }
    }
}

/// A refused value that no argument gave but an `EXPIRY_DOCTOR_*` variable did: the error
/// names the variable, which is where the user must look.
fn name_variable(
    e: clap::Error,
    args: &[std::ffi::OsString],
    env_is_set: &impl Fn(&str) -> bool,
) -> clap::Error {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if !matches!(
        e.kind(),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation | ErrorKind::ArgumentConflict
    ) {
        return e;
    }
    let cmd = <Cli as clap::CommandFactory>::command();
    let given = |long: &str| {
        let flag = format!("--{long}");
        args.iter().any(|a| {
            a.to_str()
                .is_some_and(|a| a == flag || a.starts_with(&format!("{flag}=")))
        })
    };
    let named = |text: &str| -> Option<String> {
        let check = cmd.find_subcommand("check")?;
        check.get_arguments().find_map(|arg| {
            let long = arg.get_long()?;
            let var = arg.get_env()?.to_str()?;
            let mentioned = text.starts_with(&format!("--{long} ")) || text == format!("--{long}");
            (mentioned && !given(long) && env_is_set(var)).then(|| var.to_string())
        })
    };
    let mut vars: Vec<String> = Vec::new();
    for kind in [ContextKind::InvalidArg, ContextKind::PriorArg] {
        let texts = match e.get(kind) {
            Some(ContextValue::String(s)) => vec![s.clone()],
            Some(ContextValue::Strings(v)) => v.clone(),
            _ => continue,
        };
        vars.extend(texts.iter().filter_map(|t| named(t)));
    }
    if vars.is_empty() {
        return e;
    }
    let rendered = e.render().to_string();
    let first = rendered.lines().next().unwrap_or_default();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let from = vars.join(" and ");
    <Cli as clap::CommandFactory>::command().error(
        e.kind(),
        format!("{first}\n  (the value comes from the environment: {from})"),
    )
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check whether the current credentials will last as long as the job.
    #[command(
        long_about = "Check whether the current credentials will last as long as the job.\n\n\
            Finds the credentials the SDK's default chain would use (environment, profile, web \
            identity, container, instance metadata), reads their expiry, the role's session \
            limits and the clock, and compares them with --expected-runtime.",
        after_help = concat!(
            "Examples:\n",
            "  expiry-doctor check --expected-runtime 6h\n",
            "  expiry-doctor check --expected-runtime 6h --output json > preflight.json\n",
            "  expiry-doctor check --facts preflight.json --expected-runtime 8h\n",
            "  expiry-doctor check --offline --profile etl --expected-runtime 90m\n\n",
            "Exit codes:\n",
            "  0  pass (warnings allowed unless --fail-on warn)\n",
            "  1  the gate failed: the credentials will not last, or cannot be used\n",
            "  2  usage error, unreadable --facts file, internal error"
        )
    )]
    Check(CheckArgs),
    /// Gate, watch and explain a long job: check, run it, watch its credentials, diagnose a failure.
    #[command(
        long_about = "Gate, watch and explain a long job in one wrapper.\n\n\
            Runs the same pre-flight diagnosis as `check` (same flags) and does not start the job \
            when it fails (exit 1; --no-gate runs it anyway). Then runs JOB directly (no shell), \
            with its stdin, stdout, environment and working directory, forwarding SIGINT, SIGTERM \
            and SIGHUP. While it runs, re-resolves the credentials the job would use every \
            --watch-interval and 15 and 5 minutes before their expiry, one line per observation, \
            and warns once when they will expire before the expected end without refreshing. The \
            job's stderr passes through unchanged and is read by triage's classifier: when the job \
            fails, a short diagnosis follows (the first credential or clock error, when, the expiry \
            observed, the fix). stdout is never written: it is the job's.",
        after_help = concat!(
            "Examples:\n",
            "  expiry-doctor exec --expected-runtime 6h -- python export.py --day 2026-11-23\n",
            "  expiry-doctor exec --expected-runtime 6h --watch-log creds.log -- ./export.sh\n",
            "  expiry-doctor exec --expected-runtime 6h --output json --report run.json -- make export\n",
            "  expiry-doctor exec --no-gate -- sh -c 'step1 && step2'\n\n",
            "Exit codes:\n",
            "  the job's own exit code (128 + N when a signal N killed it)\n",
            "  1    the pre-flight check failed and the job was not started\n",
            "  2    usage error\n",
            "  126  the job could not be executed (permission denied, not an executable)\n",
            "  127  the job was not found"
        ),
        mut_arg("all_profiles", |a| a.hide(true)),
        mut_arg("facts", |a| a.hide(true)),
        mut_arg("output", |a| a
            .help("table: lines for people on stderr; json: the whole record, to --report FILE")
            .long_help(None)),
        mut_arg("timeout", |a| a
            .help("The pre-flight check, and each observation, end within this (the job runs as long as it runs)")),
        mut_arg("quiet", |a| a
            .help("No pre-flight PASS line and no watch lines on stderr (the warning and the diagnosis still print)")),
    )]
    Exec(ExecArgs),
    /// Diagnose a job that died mid-run from its log: credential expiry, clock skew, SSO, or not.
    #[command(
        long_about = "Diagnose a job that died mid-run from its log.\n\n\
            Classifies every line that carries an AWS credential or auth error (as the AWS CLI, \
            boto3, the Java/Go/JavaScript/.NET/Rust SDKs, Terraform, Spark and Airflow print \
            them), finds how long after the start the credentials failed, matches that to the \
            known lifetimes (15 min, 1 h, 8 h SSO, 12 h, 36 h), or computes the clock offset from \
            \"Signature expired\" lines, and prints the fix. Reads plain or gzip logs, UTF-8 or \
            UTF-16, any size, in flat memory, for at most --timeout.",
        after_help = concat!(
            "Examples:\n",
            "  expiry-doctor triage --log job.log\n",
            "  kubectl logs job/export | expiry-doctor triage --log -\n",
            "  expiry-doctor triage --log job.log.gz --started-at 2026-11-23T08:00:00Z --output json\n\n",
            "Exit codes:\n",
            "  0  no credential or clock cause found\n",
            "  1  a credential or clock cause found (expiry, SSO, clock skew, no or invalid credentials)\n",
            "  2  usage error, unreadable log; or none found in a log read only in part (cut short,\n",
            "     stopped at --timeout, mostly not text)"
        )
    )]
    Triage(TriageArgs),
    /// Audit the account's roles: which cannot give a session as long as --min-session.
    #[command(
        long_about = "Audit the account's roles: which cannot give a session as long as --min-session.\n\n\
            Lists every role (iam:ListRoles, paginated), and prints those whose MaxSessionDuration \
            is below the minimum with the exact `aws iam update-role` command for each; IAM \
            Identity Center roles (AWSReservedSSO_*, bounded by their permission set instead) and \
            service-linked roles are listed apart. Needs iam:ListRoles.",
        after_help = "Examples:\n  expiry-doctor roles --min-session 6h\n  expiry-doctor roles --min-session 12h --profile audit --output json\n\n\
            Exit codes:\n  0  every assumable role can give the session\n  1  some cannot, or the roles could not be listed\n  2  usage error"
    )]
    Roles(RolesArgs),
    /// Print the time left on the current credentials, for a shell prompt (offline, fast).
    #[command(
        long_about = "Print the time left on the current credentials, for a shell prompt.\n\n\
            Reads only local facts, as `check --offline --no-credential-process` does (every \
            expiry the checks read: AWS_CREDENTIAL_EXPIRATION, the credentials file, the AWS CLI \
            and SSO caches), starts no helper and opens no connection, and prints one short \
            word: the time left (⏳31m), a warning when less than --warn-within is left (⚠ 12m), \
            ⚠ expired, ⏳? for session credentials whose end nothing records, and nothing for \
            long-term keys, no credentials, or credentials that refresh without end. Always \
            exits 0 (2 on a usage error), so a prompt never breaks.",
        after_help = concat!(
            "Examples:\n",
            "  PS1='$(expiry-doctor prompt) \\w \\$ '            # bash\n",
            "  RPROMPT='$(expiry-doctor prompt)'                  # zsh (setopt prompt_subst)\n",
            "  expiry-doctor prompt --format plain --profile etl  # 31m, expired\n\n",
            "Exit codes:\n",
            "  0  always, whatever the credentials (the text says it)\n",
            "  2  usage error"
        )
    )]
    Prompt(PromptArgs),
    /// Print shell completions for bash, zsh, fish, powershell or elvish.
    #[command(
        long_about = "Print shell completions for bash, zsh, fish, powershell or elvish.\n\n\
            The script registers expiry-doctor with the shell, which then asks expiry-doctor \
            itself what to offer (it runs it with EXPIRY_DOCTOR_COMPLETE set): commands, flags, \
            values, files, and for --profile the profile names of your AWS config files \
            (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE). expiry-doctor must be on PATH.",
        after_help = "Examples:\n  source <(expiry-doctor completions bash)      # in ~/.bashrc\n  \
            expiry-doctor completions zsh > \"${fpath[1]}/_expiry-doctor\"\n  \
            expiry-doctor completions fish > ~/.config/fish/completions/expiry-doctor.fish\n\n\
            Exit codes:\n  0  printed\n  2  usage error"
    )]
    Completions(CompletionsArgs),
    /// Print a man page (roff): expiry-doctor(1), or a command's, e.g. expiry-doctor-check(1).
    #[command(
        after_help = "Examples:\n  expiry-doctor man | man -l -\n  expiry-doctor man check > expiry-doctor-check.1\n\n\
            Exit codes:\n  0  printed\n  2  usage error"
    )]
    Man(ManArgs),
    /// Explain a check, fix or triage class: what it means, why it matters, how to fix it.
    #[command(
        after_help = "Examples:\n  expiry-doctor explain --list\n  expiry-doctor explain expected-runtime\n  expiry-doctor explain use-refreshing-profile\n\n\
            Exit codes:\n  0  printed\n  2  usage error"
    )]
    Explain(ExplainArgs),
}

#[derive(Debug, Args, Clone)]
pub struct ExecArgs {
    #[command(flatten)]
    pub check: CheckArgs,

    /// Start the job even when the pre-flight check fails (a warning says so).
    #[arg(long)]
    pub no_gate: bool,

    /// How often to re-resolve the job's credentials while it runs (also 15 and 5 minutes
    /// before their expiry, and just after it).
    #[arg(long, value_name = "DUR", default_value = "5m", value_parser = parse_watch_interval)]
    pub watch_interval: Duration,

    /// Append the watch lines to this file instead of stderr.
    #[arg(long, value_name = "FILE")]
    pub watch_log: Option<PathBuf>,

    /// Write the whole record as JSON to this file when the run ends: the pre-flight report,
    /// every observation, the first error lines and the diagnosis.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,

    /// The job and its arguments, after `--`; run directly, not through a shell.
    #[arg(last = true, required = true, value_name = "JOB")]
    pub job: Vec<std::ffi::OsString>,
}

#[derive(Debug, Args, Clone)]
pub struct TriageArgs {
    /// The job's log: a file (plain or .gz, detected by content) or - for stdin. The same as
    /// --log: `triage job.log` or `triage --log job.log`.
    #[arg(
        value_name = "FILE|-",
        required_unless_present = "log",
        conflicts_with = "log",
        value_hint = clap::ValueHint::FilePath
    )]
    pub file: Option<String>,

    /// The job's log: a file (plain or .gz, detected by content) or - for stdin.
    #[arg(long, value_name = "FILE|-", value_hint = clap::ValueHint::FilePath)]
    pub log: Option<String>,

    /// When the job started (default: the first timestamped line), e.g. 2026-11-23T08:00:00Z.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub started_at: Option<chrono::DateTime<chrono::Utc>>,

    /// When the credentials were known to expire, to confirm the failure matches it.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,

    /// The role's MaxSessionDuration, to match the failure against it too (1h to 12h).
    #[arg(long, value_name = "DUR", value_parser = parse_max_session)]
    pub max_session_duration: Option<Duration>,

    /// Stop reading by then (an endless pipe, a device, a FIFO no program writes to); what was
    /// read is diagnosed, and the report says where reading stopped.
    #[arg(long, value_name = "DUR", default_value = "5m", value_parser = parse_timeout)]
    pub timeout: Duration,

    /// Report format on stdout.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = TriageOutput::Table)]
    pub output: TriageOutput,

    /// Print the diagnosis line only.
    #[arg(short, long)]
    pub quiet: bool,
}

impl TriageArgs {
    /// The log to read, given as the argument or with --log (clap requires one).
    pub fn log(&self) -> &str {
        self.file.as_deref().or(self.log.as_deref()).unwrap_or("-")
    }
}

#[derive(Debug, Args, Clone)]
pub struct RolesArgs {
    /// The session length a job needs, e.g. 6h (15m to 12h).
    #[arg(long, value_name = "DUR", value_parser = parse_min_session)]
    pub min_session: Duration,

    /// Added to --min-session, as `check` adds it to --expected-runtime: a role passes when
    /// one session lasts the job plus this, and the suggested MaxSessionDuration is the same
    /// one `check` suggests.
    #[arg(long, value_name = "DUR", default_value = "5m", value_parser = parse_margin)]
    pub margin: Duration,

    /// The profile whose credentials list the roles.
    #[arg(long, value_name = "NAME", value_parser = parse_name)]
    pub profile: Option<String>,

    /// The region for the IAM client (IAM is global; this only picks the partition's endpoint).
    #[arg(long, value_name = "NAME", value_parser = parse_region)]
    pub region: Option<String>,

    /// The whole run ends within this.
    #[arg(long, value_name = "DUR", default_value = "30s", value_parser = parse_timeout)]
    pub timeout: Duration,

    /// Report format on stdout.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = RolesOutput::Table)]
    pub output: RolesOutput,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RolesOutput {
    Table,
    Json,
    Markdown,
}

#[derive(Debug, Args, Clone)]
pub struct PromptArgs {
    /// The profile to look at (default: AWS_PROFILE, as the SDKs select it).
    #[arg(long, value_name = "NAME", value_parser = parse_name)]
    pub profile: Option<String>,

    /// icon: ⏳31m, ⚠ 12m, ⚠ expired, ⏳?; plain: 31m, expired, unknown (no symbols).
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = PromptFormat::Icon)]
    pub format: PromptFormat,

    /// Below this much time left, the prompt warns (⚠ instead of ⏳; plain: a trailing !).
    #[arg(long, value_name = "DUR", default_value = "15m", value_parser = parse_margin)]
    pub warn_within: Duration,

    /// Whose resolution to follow: python (boto3, the AWS CLI), rust, any (the least time left).
    #[arg(long, value_enum, value_name = "SDK")]
    pub sdk: Option<SdkArg>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PromptFormat {
    /// With a symbol: ⏳31m, ⚠ 12m, ⚠ expired.
    Icon,
    /// Words only: 31m, 12m!, expired, unknown.
    Plain,
}

#[derive(Debug, Args, Clone)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args, Clone)]
pub struct ManArgs {
    /// The command whose page to print (without: expiry-doctor(1), the overview).
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

#[derive(Debug, Args, Clone)]
pub struct ExplainArgs {
    /// A check id, fix id or triage class (see --list), or an AWS error code or message such
    /// as ExpiredToken, whose triage class is then explained.
    #[arg(value_name = "ID", required_unless_present = "list", value_parser = explain_ids(), hide_possible_values = true)]
    pub id: Option<String>,

    /// List every id with its one-line summary.
    #[arg(long, conflicts_with = "id")]
    pub list: bool,
}

#[derive(Debug, Args, Clone)]
pub struct CheckArgs {
    /// How long the job runs, e.g. 6h, 90m, 1h30m, 45s (whole seconds, at most a year).
    ///
    /// The credentials must last from now until now + this + --margin. Without it the
    /// runtime check is skipped and the report shows what is known.
    #[arg(long, value_name = "DUR", value_parser = parse_runtime, env = "EXPIRY_DOCTOR_EXPECTED_RUNTIME")]
    pub expected_runtime: Option<Duration>,

    /// The profile the job uses, as AWS_PROFILE would select it.
    ///
    /// Like AWS_PROFILE (not like the AWS CLI's --profile), exported AWS_ACCESS_KEY_ID and
    /// friends still win over it, because that is what the SDKs' default chain does. With
    /// --facts, picks that profile's report out of a saved --all-profiles audit.
    #[arg(long, value_name = "NAME", value_parser = parse_name, env = "EXPIRY_DOCTOR_PROFILE")]
    pub profile: Option<String>,

    /// The region for STS and IAM calls (default: AWS_REGION, the profile's region).
    #[arg(long, value_name = "NAME", value_parser = parse_region, env = "EXPIRY_DOCTOR_REGION")]
    pub region: Option<String>,

    /// Check every profile in the AWS config, concurrently, one row each; this runs every
    /// profile's credential_process (--no-credential-process does not).
    ///
    /// Each profile is judged as a job that selects it (and exports nothing) would see it. One
    /// deadline for the whole run; the clock is measured once; profiles the deadline leaves
    /// unchecked are listed once. --quiet prints the summary line, --verbose adds the full
    /// report of every profile that does not pass. With --facts, replays a saved audit.
    #[arg(long, conflicts_with = "profile", env = "EXPIRY_DOCTOR_ALL_PROFILES", value_parser = clap::builder::BoolishValueParser::new())]
    pub all_profiles: bool,

    /// Plan for this role: can a session of it last the job at all?
    ///
    /// The session-limit check then describes this role instead of the one the current
    /// credentials belong to.
    #[arg(long, value_name = "ARN", value_parser = parse_role_arn, env = "EXPIRY_DOCTOR_ROLE_ARN")]
    pub role_arn: Option<String>,

    /// What the role's MaxSessionDuration is, when iam:GetRole is not permitted (1h to 12h).
    #[arg(long, value_name = "DUR", value_parser = parse_max_session, env = "EXPIRY_DOCTOR_MAX_SESSION_DURATION")]
    pub max_session_duration: Option<Duration>,

    /// How long before expiry counts as too late (whole seconds, at most 24h).
    #[arg(long, value_name = "DUR", default_value = "5m", value_parser = parse_margin, env = "EXPIRY_DOCTOR_MARGIN")]
    pub margin: Duration,

    /// NTP server for the clock-skew check, HOST[:PORT] (on EC2, 169.254.169.123 is better).
    #[arg(long, value_name = "HOST[:PORT]", default_value = "time.aws.com:123", value_parser = parse_ntp_server, env = "EXPIRY_DOCTOR_NTP_SERVER")]
    pub ntp_server: String,

    /// Do not ask an NTP server (the AWS clock is still compared when STS answers).
    #[arg(long, env = "EXPIRY_DOCTOR_NO_NTP", value_parser = clap::builder::BoolishValueParser::new())]
    pub no_ntp: bool,

    /// Warn when the clock is off by more than this (at most 5m); fail at 5m, the SigV4 limit.
    #[arg(long, value_name = "DUR", default_value = "30s", value_parser = parse_max_clock_skew, env = "EXPIRY_DOCTOR_MAX_CLOCK_SKEW")]
    pub max_clock_skew: Duration,

    /// No network probes (STS, IAM, NTP, the SDK's providers): local facts only; a profile's
    /// credential_process still runs, with the network it wants, unless --no-credential-process.
    ///
    /// A profile's credential_process still runs (with the deadline): it is a program of the
    /// config file's choosing, run with this environment, and its output is the only place its
    /// expiry is known. expiry-doctor itself opens no connection; the helper may.
    #[arg(long, env = "EXPIRY_DOCTOR_OFFLINE", value_parser = clap::builder::BoolishValueParser::new())]
    pub offline: bool,

    /// Never run a profile's credential_process: name the source, leave its credentials unverified.
    ///
    /// A credential_process is a program the config file names, run with this environment and
    /// the network it wants, whenever its profile is the one checked (--offline included);
    /// --all-profiles runs every profile's. With this flag it is not run: the source is still
    /// named, credential-source warns that the helper was not run, expiration and
    /// expected-runtime are skipped, and the live probes do not ask for those credentials either.
    /// The verdict is never pass on credentials that were not obtained (warn: exit 0 unless
    /// --fail-on warn).
    #[arg(long, env = "EXPIRY_DOCTOR_NO_CREDENTIAL_PROCESS", value_parser = clap::builder::BoolishValueParser::new())]
    pub no_credential_process: bool,

    /// Evaluate a saved report (--output json) or fixture instead of gathering.
    ///
    /// Replays a CI runner's situation on a laptop, as of the moment it was saved; add
    /// --expected-runtime to ask "what about 8h?". A saved --all-profiles audit is replayed
    /// one profile at a time with --profile NAME, or whole with --all-profiles. - reads it
    /// from stdin; stdin, a pipe or a FIFO must deliver it within --timeout.
    #[arg(
        long,
        value_name = "FILE|-",
        conflicts_with = "region",
        env = "EXPIRY_DOCTOR_FACTS"
    )]
    pub facts: Option<PathBuf>,

    /// The whole run ends within this, whatever hangs.
    #[arg(long, value_name = "DUR", default_value = "10s", value_parser = parse_timeout, env = "EXPIRY_DOCTOR_TIMEOUT")]
    pub timeout: Duration,

    /// Report format on stdout: table, json (replayable with --facts), markdown (for
    /// $GITHUB_STEP_SUMMARY and merge-request comments), github (workflow-command annotations).
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = OutputFormat::Table, env = "EXPIRY_DOCTOR_OUTPUT")]
    pub output: OutputFormat,

    /// Print the verdict line only.
    #[arg(short, long, conflicts_with = "verbose", env = "EXPIRY_DOCTOR_QUIET", value_parser = clap::builder::BoolishValueParser::new())]
    pub quiet: bool,

    /// Also print every fact gathered and where it came from (table output).
    #[arg(short, long, env = "EXPIRY_DOCTOR_VERBOSE", value_parser = clap::builder::BoolishValueParser::new())]
    pub verbose: bool,

    /// The lowest verdict that makes the exit code 1.
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = FailOn::Fail, env = "EXPIRY_DOCTOR_FAIL_ON")]
    pub fail_on: FailOn,

    /// The SDK the job runs: python (botocore: boto3 and the AWS CLI), rust (aws-config), any.
    ///
    /// The SDKs do not resolve credentials alike: botocore stops a job whose AWS_PROFILE names
    /// no profile while aws-config uses exported keys, botocore honours a profile's
    /// duration_seconds while aws-config asks for 1h, their INI parsers read the same file
    /// differently. With any (the default) every modelled SDK is judged: when they agree the
    /// report is one answer; when they differ it says which SDK gets what, and the verdict is
    /// the worse one. exec infers the SDK from the job's command when it can.
    #[arg(long, value_enum, value_name = "SDK", env = "EXPIRY_DOCTOR_SDK")]
    pub sdk: Option<SdkArg>,
}

/// `--sdk`: whose credential resolution to judge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SdkArg {
    /// botocore, which boto3 and the AWS CLI (v1 and v2) are built on.
    Python,
    /// aws-config, the AWS SDK for Rust's configuration loader.
    Rust,
    /// Every modelled SDK; the worse verdict when they differ.
    Any,
}

impl SdkArg {
    /// The SDKs judged, the Rust one first (the live probes' own).
    pub fn sdks(self) -> &'static [crate::facts::Sdk] {
        use crate::facts::Sdk;
        match self {
            SdkArg::Python => &[Sdk::Python],
            SdkArg::Rust => &[Sdk::Rust],
            SdkArg::Any => &[Sdk::Rust, Sdk::Python],
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// A table for people.
    Table,
    /// The version-1 JSON report (replayable with --facts).
    Json,
    /// Markdown, for $GITHUB_STEP_SUMMARY and merge-request comments.
    Markdown,
    /// GitHub Actions workflow commands (::error::/::warning:: annotations).
    Github,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TriageOutput {
    /// A table for people.
    Table,
    /// The version-1 triage JSON.
    Json,
    /// Markdown, for incident notes and merge-request comments.
    Markdown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Exit 1 on warnings too.
    Warn,
    /// Exit 1 only on failures.
    Fail,
}

const DURATION_FORM: &str = "expected a duration like 6h, 90m, 1h30m";

/// RFC 3339 (`2026-11-23T08:00:00Z`), or a date and time without a zone, read as UTC.
pub fn parse_time(s: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    const FORM: &str = "expected a time like 2026-11-23T08:00:00Z";
    let t = s.trim();
    let parsed = chrono::DateTime::parse_from_rfc3339(t)
        .map(|x| x.with_timezone(&chrono::Utc))
        .ok()
        .or_else(|| {
            [
                "%Y-%m-%dT%H:%M:%S",
                "%Y-%m-%d %H:%M:%S",
                "%Y-%m-%dT%H:%M",
                "%Y-%m-%d %H:%M",
            ]
            .iter()
            .find_map(|fmt| chrono::NaiveDateTime::parse_from_str(t, fmt).ok())
            .map(|n| n.and_utc())
        })
        .ok_or(FORM)?;
    // The one range for every instant read (`%Y` takes `+262142`, which overflows arithmetic).
    if !crate::timestamps::in_range(parsed) {
        return Err(format!("{FORM}, between the years 1970 and 9999"));
    }
    Ok(parsed)
}

/// humantime syntax (`6h`, `90m`, `1h30m`, `45s`, `1h 30m`).
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    if t.is_empty() || t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DURATION_FORM.into());
    }
    humantime::parse_duration(t).map_err(|_| DURATION_FORM.to_string())
}

/// A year is far beyond any credential; anything bigger is a typo (and would overflow dates).
/// Saved reports replayed with `--facts` are held to the same bound.
pub const MAX_RUNTIME_SECS: u64 = 366 * 86_400;

/// The margin's bound: a day is more than any session a role gives (12 h) or STS hands a user
/// (36 h is GetSessionToken's longest, and a margin that long leaves no job to run).
pub const MAX_MARGIN_SECS: u64 = 86_400;

/// The largest `--max-clock-skew` that means anything: SigV4 refuses a request signed more than
/// 5 minutes off AWS's clock (`limits::SIGV4_SKEW`, from the SigV4 documentation), so the
/// check fails there whatever the flag says.
pub const MAX_CLOCK_SKEW_SECS: u64 = crate::aws::limits::SIGV4_SKEW as u64;

/// Reports and facts count in whole seconds (`expected_runtime_seconds`); a fraction would be
/// dropped silently (`500ms` became `0`, which a replay then refused).
fn whole_seconds(d: Duration) -> Result<Duration, String> {
    if d.subsec_nanos() != 0 {
        return Err(format!("{DURATION_FORM}, in whole seconds"));
    }
    Ok(d)
}

fn parse_positive(s: &str) -> Result<Duration, String> {
    let d = parse_duration(s)?;
    if d.is_zero() {
        return Err(format!("{DURATION_FORM}, greater than zero"));
    }
    Ok(d)
}

fn parse_runtime(s: &str) -> Result<Duration, String> {
    let d = parse_positive(s)?;
    if d > Duration::from_secs(MAX_RUNTIME_SECS) {
        return Err(format!("{DURATION_FORM}, at most a year"));
    }
    whole_seconds(d)
}

fn parse_margin(s: &str) -> Result<Duration, String> {
    let d = parse_duration(s)?;
    if d > Duration::from_secs(MAX_MARGIN_SECS) {
        return Err(format!("{DURATION_FORM}, at most 24h"));
    }
    whole_seconds(d)
}

fn parse_max_clock_skew(s: &str) -> Result<Duration, String> {
    let d = parse_duration(s)?;
    if d > Duration::from_secs(MAX_CLOCK_SKEW_SECS) {
        return Err(format!(
            "{DURATION_FORM}, at most 5m (SigV4's limit: a larger skew fails anyway)"
        ));
    }
    Ok(d)
}

/// A minute or more is the useful range (re-resolving more often only loads the provider: the
/// SSO portal, STS); 1 s is allowed so that a test can watch a credential expire.
fn parse_watch_interval(s: &str) -> Result<Duration, String> {
    let d = parse_positive(s)?;
    if d < Duration::from_secs(1) || d > Duration::from_secs(86_400) {
        return Err(format!("{DURATION_FORM}, between 1s and 24h"));
    }
    Ok(d)
}

fn parse_timeout(s: &str) -> Result<Duration, String> {
    let d = parse_positive(s)?;
    if d > Duration::from_secs(3600) {
        return Err(format!("{DURATION_FORM}, at most 1h"));
    }
    Ok(d)
}

/// IAM's MaxSessionDuration range is 1 h to 12 h.
fn parse_max_session(s: &str) -> Result<Duration, String> {
    let d = parse_duration(s)?;
    use crate::aws::limits::{MAX_SESSION_DURATION_MAX, MAX_SESSION_DURATION_MIN};
    if d < Duration::from_secs(MAX_SESSION_DURATION_MIN as u64)
        || d > Duration::from_secs(MAX_SESSION_DURATION_MAX as u64)
    {
        return Err("expected a duration from 1h to 12h (IAM's MaxSessionDuration range)".into());
    }
    Ok(d)
}

/// A session a role can give: 15 minutes (AssumeRole's minimum) to 12 hours.
fn parse_min_session(s: &str) -> Result<Duration, String> {
    let d = parse_duration(s)?;
    use crate::aws::limits::{ASSUME_ROLE_MIN, LONGEST_ROLE_SESSION};
    if d < Duration::from_secs(ASSUME_ROLE_MIN as u64)
        || d > Duration::from_secs(LONGEST_ROLE_SESSION as u64)
    {
        return Err("expected a duration from 15m to 12h (no role session lasts longer)".into());
    }
    Ok(d)
}

fn parse_name(s: &str) -> Result<String, String> {
    let t = s.trim();
    if t.is_empty() || t.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("expected a profile name without spaces".into());
    }
    Ok(t.to_string())
}

fn parse_region(s: &str) -> Result<String, String> {
    let ok = !s.is_empty()
        && s.len() <= 32
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && s.contains('-');
    if ok {
        Ok(s.to_string())
    } else {
        Err("expected a region like us-east-1".into())
    }
}

/// `arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME`.
pub fn parse_role_arn(s: &str) -> Result<String, String> {
    if crate::aws::Arn::parse(s).is_some_and(|a| a.is_role()) {
        Ok(s.to_string())
    } else {
        Err("expected a role ARN like arn:aws:iam::123456789012:role/etl".into())
    }
}

/// `explain`'s argument: an id from the registries (which completion offers), or an AWS error
/// code or message that triage classifies (`ExpiredToken`, "Unable to locate credentials").
fn explain_ids() -> ExplainArg {
    ExplainArg
}

#[derive(Clone)]
struct ExplainArg;

impl clap::builder::TypedValueParser for ExplainArg {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        let text = value.to_string_lossy();
        if crate::commands::explain::ids().contains(&text.as_ref())
            || crate::commands::explain::class_of(&text).is_some()
        {
            return Ok(text.into_owned());
        }
        // Anything else: clap's own refusal, with its "similar value" tip from the ids.
        clap::builder::PossibleValuesParser::new(crate::commands::explain::ids())
            .parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            crate::commands::explain::ids()
                .into_iter()
                .map(clap::builder::PossibleValue::new),
        ))
    }
}

/// `HOST[:PORT]`, `[IPv6]:PORT` or a bare IPv6 address; the port defaults to 123.
pub fn parse_ntp_server(s: &str) -> Result<String, String> {
    const FORM: &str = "expected HOST[:PORT] like time.aws.com:123 or 127.0.0.1:11123";
    let s = s.trim();
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        let (h, tail) = rest.split_once(']').ok_or(FORM)?;
        let port = match tail {
            "" => None,
            t => Some(t.strip_prefix(':').ok_or(FORM)?),
        };
        (h, port)
    } else if s.matches(':').count() > 1 {
        (s, None) // bare IPv6
    } else {
        match s.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (s, None),
        }
    };
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-_:".contains(c));
    let port: u16 = match port {
        None => 123,
        Some(p) => p.parse().ok().filter(|p| *p > 0).ok_or(FORM)?,
    };
    if !host_ok {
        return Err(FORM.into());
    }
    Ok(if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("6h"), Ok(Duration::from_secs(21_600)));
        assert_eq!(parse_duration("90m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("45s"), Ok(Duration::from_secs(45)));
        assert_eq!(parse_duration("six"), Err(DURATION_FORM.into()));
        assert_eq!(parse_duration("3600"), Err(DURATION_FORM.into()));
        assert!(parse_runtime("0s").is_err());
        assert!(parse_runtime("1000d").is_err());
        assert!(parse_max_session("30m").is_err());
        assert!(parse_max_session("12h").is_ok());
        // Issue 17: bounded, and in whole seconds where reports count seconds.
        assert!(parse_runtime("500ms").is_err());
        assert!(parse_runtime("1s").is_ok());
        assert!(parse_margin("0s").is_ok());
        assert!(parse_margin("24h").is_ok());
        assert!(parse_margin("24h 1s").is_err());
        assert!(parse_margin("9223372036854775s").is_err());
        assert!(parse_margin("1500ms").is_err());
        assert_eq!(
            parse_max_clock_skew("500ms"),
            Ok(Duration::from_millis(500))
        );
        assert!(parse_max_clock_skew("5m").is_ok());
        assert!(parse_max_clock_skew("5m 1s").is_err());
        assert!(parse_time("+262142-12-31T23:59:59").is_err());
        assert!(parse_time("9999-12-31T23:59:59").is_ok());
    }

    #[test]
    fn role_arns() {
        assert!(parse_role_arn("arn:aws:iam::123456789012:role/etl").is_ok());
        assert!(parse_role_arn("arn:aws-cn:iam::123456789012:role/path/to/etl").is_ok());
        assert!(parse_role_arn("arn:aws:iam::123456789012:user/bob").is_err());
        assert!(parse_role_arn("arn:aws:iam::1234:role/etl").is_err());
        assert!(parse_role_arn("etl").is_err());
    }

    #[test]
    fn ntp_servers() {
        assert_eq!(
            parse_ntp_server("time.aws.com"),
            Ok("time.aws.com:123".into())
        );
        assert_eq!(
            parse_ntp_server("127.0.0.1:11123"),
            Ok("127.0.0.1:11123".into())
        );
        assert_eq!(parse_ntp_server("[::1]:11123"), Ok("[::1]:11123".into()));
        assert_eq!(parse_ntp_server("::1"), Ok("[::1]:123".into()));
        assert!(parse_ntp_server("host:0").is_err());
        assert!(parse_ntp_server("host:99999").is_err());
        assert!(parse_ntp_server("").is_err());
        assert!(parse_ntp_server("a b").is_err());
    }
}
