//! Fixes are proven (issue 18): a fix is typed data (`fixes[].steps`), so a test can do what
//! the user would do with it, and check again.
//!
//! For every scenario whose report offers a fix that changes the AWS configuration, IAM or
//! the profile the job selects, [`prove`] takes each such fix from the JSON (the recommended
//! one and every alternative, each alone), applies its steps to a fresh copy of the scenario's
//! fake machine, and re-runs the same check: every check that asked for the fix must pass now,
//! the verdict must be pass, and the fix must not be offered again. Both SDK models are
//! proven wherever the fix applies to both; where an SDK does not hit the problem at all, the
//! test says so and checks that SDK passes.
//!
//! Applying, step by step:
//! - `config`: the named section of `~/.aws/config` gets the keys set and removed (created
//!   when absent), after the placeholders the fix prints (`arn:aws:iam::<ACCOUNT_ID>:role/…`,
//!   `<a profile with long-term keys>`) are replaced by the scenario's real values. A
//!   placeholder the scenario does not fill fails the proof, and a scenario that fills one the
//!   recommended fix no longer prints fails too: placeholders are handled explicitly.
//! - `shell`: all the fix's commands run, in order, in `bash` with the scenario's environment,
//!   no `PATH`, and `aws` and `$EDITOR` as functions that only record their arguments; the
//!   environment bash leaves (after `unset …`, `export AWS_PROFILE=…`) is the next run's.
//!   Each recorded `aws` call is then applied by what it changes: `iam update-role
//!   --max-session-duration N` becomes the next run's `--max-session-duration` (or is called on
//!   moto, whose `iam:GetRole` the live check then reads); `configure set K V --profile P` sets
//!   the key; `sts assume-role … --duration-seconds N` is granted only under STS's rules (at
//!   most the role's MaxSessionDuration, at most 1 h when chained) and its session exported;
//!   `configure sso --profile P` writes what the AWS CLI's wizard writes (and its login's
//!   token); the editor of `repair-config` gets the scenario's repair at the line named.
//!   The keys a call signs with are botocore's pick at that moment (`--profile`, else the
//!   exported keys, else AWS_PROFILE's profile): a role session makes the call chained.
//!
//! A plan (`--role-arn`) is asked again of the unchanged machine once an IAM step ran; once
//! the fix made the job's credentials the planned role's (a profile selected, a session
//! exported), the job's check runs without `--role-arn`.
//!
//! Beside the proofs: every shell step of every fix (in these scenarios, in the fixtures, and
//! in every variant of the catalog) passes `bash -n` and runs in that sandbox without calling
//! anything but `aws`, the editor and the clock commands; and every `aws` command names a real
//! command and real options (botocore's service models in the test venv, and a cited
//! allow-list of the AWS CLI's own commands). See docs/testing.md.

use crate::common::moto::{Moto, required};
use crate::common::*;
use expiry_doctor::facts::{Problem, ProblemKind};
use expiry_doctor::fixes::{Fix, FixId, RefreshingSource, SessionRequest};
use expiry_doctor::render::fixes::plan;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

const ACCOUNT: &str = "123456789012";
const ROLE_PLACEHOLDER: &str = "arn:aws:iam::<ACCOUNT_ID>:role/<ROLE_NAME>";
const SOURCE_PLACEHOLDER: &str = "<a profile with long-term keys>";
const PROFILE_PLACEHOLDER: &str = "<PROFILE>";
/// AssumeRole's cap on a chained session (a role assumed with a role session's credentials).
const CHAINED_MAX: i64 = 3600;

fn arn(role: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:role/{role}")
}

fn base_keys() -> String {
    format!("[base]\naws_access_key_id = {LONG_TERM_KEY_ID}\naws_secret_access_key = {SECRET}\n")
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Sdk {
    Rust,
    Python,
}

impl Sdk {
    fn name(self) -> &'static str {
        match self {
            Sdk::Rust => "rust",
            Sdk::Python => "python",
        }
    }
}

const BOTH: [Sdk; 2] = [Sdk::Rust, Sdk::Python];

/// A fake machine in trouble, and what each SDK is told to do about it.
struct Scenario {
    /// Builds the machine afresh: every proof edits a copy of its own.
    build: Box<dyn Fn() -> Home>,
    /// `check`'s flags besides `--offline --output json --expected-runtime 6h --sdk`.
    args: Vec<String>,
    /// Per SDK, the fix recommended first; `None`: that SDK does not hit the problem (its
    /// verdict is pass, nothing offered).
    recommends: Vec<(Sdk, Option<&'static str>)>,
    /// The scenario's real values for the placeholders the fixes print.
    fill: Vec<(&'static str, String)>,
    /// What the person at the editor does (`repair-config`): the file's text and the line the
    /// step names, to the repaired text.
    repair: Option<fn(&str, Option<u32>) -> String>,
    /// Answers `aws configure sso`'s questions (start URL, region, account, role) when a fix
    /// runs the wizard.
    sso_answers: bool,
    /// Live: the check talks to this moto (no `--offline`), and IAM/STS steps are called on it.
    live: Option<&'static Moto>,
    /// Runs before each proof: puts moto back as seeded (a proof before may have raised a
    /// role's MaxSessionDuration).
    before_each: Option<Box<dyn Fn()>>,
}

impl Scenario {
    fn new(build: impl Fn() -> Home + 'static) -> Scenario {
        Scenario {
            build: Box::new(build),
            args: Vec::new(),
            recommends: Vec::new(),
            fill: Vec::new(),
            repair: None,
            sso_answers: false,
            live: None,
            before_each: None,
        }
    }

    fn args(mut self, args: &[&str]) -> Scenario {
        self.args = args.iter().map(|s| s.to_string()).collect();
        self
    }

    fn recommends(mut self, sdks: &[Sdk], id: &'static str) -> Scenario {
        self.recommends.extend(sdks.iter().map(|&s| (s, Some(id))));
        self
    }

    /// `sdk` does not hit the problem: it passes and is offered nothing.
    fn passes_for(mut self, sdk: Sdk) -> Scenario {
        self.recommends.push((sdk, None));
        self
    }

    fn fill(mut self, placeholder: &'static str, value: impl Into<String>) -> Scenario {
        self.fill.push((placeholder, value.into()));
        self
    }

    fn check(&self, home: &Home, sdk: Sdk, args: &[String]) -> Value {
        let mut all: Vec<&str> = vec!["--expected-runtime", "6h", "--sdk", sdk.name()];
        all.extend(args.iter().map(String::as_str));
        let (r, _) = match self.live {
            Some(_) => {
                all.push("--no-ntp");
                home.live_json(&all)
            }
            None => home.check_json(&all),
        };
        r
    }
}

// ---------------------------------------------------------------------------------------
// The scenarios.
// ---------------------------------------------------------------------------------------

/// A role profile `etl` assumed from long-term keys in `base`, with `extra` lines.
fn role_profile(extra: &str) -> Home {
    let h = Home::new().var("AWS_PROFILE", "etl");
    h.write(
        ".aws/config",
        format!(
            "[profile etl]\nrole_arn = {}\nsource_profile = base\n{extra}",
            arn("etl")
        ),
    );
    h.write(".aws/credentials", base_keys());
    h
}

/// `duration_seconds` above the role's MaxSessionDuration (1 h, given by the flag): botocore
/// asks for it and AssumeRole refuses; aws-config ignores it.
fn duration_above_max() -> Scenario {
    Scenario::new(|| role_profile("duration_seconds = 21600\n"))
        .args(&["--max-session-duration", "1h"])
        .recommends(&[Sdk::Python], "delete-duration-seconds")
        .passes_for(Sdk::Rust)
}

/// `duration_seconds` outside AssumeRole's 900..=43200.
fn duration_out_of_range() -> Scenario {
    Scenario::new(|| role_profile("duration_seconds = 100000\n"))
        .args(&["--max-session-duration", "12h"])
        .recommends(&[Sdk::Python], "delete-duration-seconds")
        .passes_for(Sdk::Rust)
}

/// A chained profile (`job` from `hop` from `base`) asking for 2 h: above the 1 h cap. (The
/// role allows 12 h, so that the check can pass once the session is not chained.)
fn chained_duration() -> Scenario {
    Scenario::new(|| {
        let h = Home::new().var("AWS_PROFILE", "job");
        h.write(
            ".aws/config",
            format!(
                "[profile hop]\nrole_arn = {}\nsource_profile = base\n\
                 [profile job]\nrole_arn = {}\nsource_profile = hop\nduration_seconds = 7200\n",
                arn("hop"),
                arn("job")
            ),
        );
        h.write(".aws/credentials", base_keys());
        h
    })
    .args(&["--max-session-duration", "12h"])
    .recommends(&[Sdk::Python], "delete-duration-seconds")
    .passes_for(Sdk::Rust)
}

/// `--role-arn` planning a role (allowing 12 h) that the current role profile would assume
/// with its session: chained, 1 h at most.
fn planned_chained() -> Scenario {
    Scenario::new(|| role_profile(""))
        .args(&[
            "--role-arn",
            &arn("target"),
            "--max-session-duration",
            "12h",
        ])
        .recommends(&BOTH, "avoid-role-chaining")
        .fill(SOURCE_PLACEHOLDER, "base")
}

/// `--role-arn` planning a 1 h role (`--max-session-duration 1h`) from long-term keys.
fn planned_one_hour_role() -> Scenario {
    Scenario::new(|| {
        Home::new()
            .var("AWS_ACCESS_KEY_ID", LONG_TERM_KEY_ID)
            .var("AWS_SECRET_ACCESS_KEY", SECRET)
    })
    .args(&["--role-arn", &arn("etl"), "--max-session-duration", "1h"])
    .recommends(&BOTH, "raise-max-session-duration")
}

/// Exported session keys expiring in 30 minutes, planning the 1 h role they came from; the
/// machine has long-term keys in `base`.
fn exported_planned() -> Scenario {
    Scenario::new(|| {
        let h = exported(Some(30));
        h.write(".aws/credentials", base_keys());
        h
    })
    .args(&["--role-arn", &arn("etl"), "--max-session-duration", "1h"])
    .recommends(&BOTH, "use-refreshing-profile")
    .fill(SOURCE_PLACEHOLDER, "base")
}

/// Exported session keys expiring in 30 minutes shadowing a refreshing role profile `name`.
fn shadowing(name: &'static str) -> impl Fn() -> Home {
    move || {
        let h = exported(Some(30)).var("AWS_PROFILE", name);
        h.write(
            ".aws/config",
            format!(
                "[profile {name}]\nrole_arn = {}\nsource_profile = base\n",
                arn("etl")
            ),
        );
        h.write(".aws/credentials", base_keys());
        h
    }
}

/// Exported keys shadowing a refreshing profile (a name with the punctuation aws-config
/// allows).
fn exported_shadowing_a_profile() -> Scenario {
    Scenario::new(shadowing("etl/prod@1.v2")).recommends(&BOTH, "use-refreshing-profile")
}

/// The same, with a name that needs quoting in a shell; botocore allows it, aws-config does not
/// (its INI parser ends the header at `;`): proven for Python.
fn exported_shadowing_an_odd_profile() -> Scenario {
    Scenario::new(shadowing("etl;$x(1)&y|`z`")).recommends(&[Sdk::Python], "use-refreshing-profile")
}

/// Exported session keys expiring in 30 minutes, nothing else known: a new role profile,
/// every value a placeholder.
fn exported_alone() -> Scenario {
    Scenario::new(|| {
        let h = exported(Some(30));
        h.write(".aws/credentials", base_keys());
        h
    })
    .recommends(&BOTH, "use-refreshing-profile")
    .fill(ROLE_PLACEHOLDER, arn("etl"))
    .fill(SOURCE_PLACEHOLDER, "base")
}

/// Exported session keys in an ECS task (its credentials endpoint is set): the task role,
/// through a profile.
fn exported_in_a_container() -> Scenario {
    Scenario::new(|| {
        exported(Some(30)).var(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "http://127.0.0.1:9/creds",
        )
    })
    .recommends(&BOTH, "use-refreshing-profile")
    .fill(ROLE_PLACEHOLDER, arn("etl"))
}

/// A role profile whose source is a saml2aws session (static keys that end in 50 minutes):
/// the SDK refreshes the role only as long as the source lasts.
fn role_from_expiring_source() -> Scenario {
    Scenario::new(|| {
        let h = Home::new().var("AWS_PROFILE", "etl");
        h.write(
            ".aws/config",
            format!(
                "[profile etl]\nrole_arn = {}\nsource_profile = saml\n",
                arn("etl")
            ),
        );
        h.write(
            ".aws/credentials",
            format!(
                "[saml]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n\
                 aws_session_token = {TOKEN}\nx_security_token_expires = {}\n{}",
                rfc3339_in(50),
                base_keys()
            ),
        );
        h
    })
    .recommends(&BOTH, "use-refreshing-profile")
    .fill(SOURCE_PLACEHOLDER, "base")
}

/// A section header without its `]` on line 4 of the config.
fn broken_config() -> Scenario {
    let mut s = Scenario::new(|| role_profile("[profile other\nregion = us-east-1\n"))
        .recommends(&BOTH, "repair-config");
    s.repair = Some(|text, line| {
        let n = line.expect("the step names the line") as usize;
        let mut lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[n - 1], "[profile other", "line {n} of\n{text}");
        lines[n - 1] = "[profile other]";
        lines.join("\n") + "\n"
    });
    s
}

/// A role profile whose `source_profile` names no profile.
fn source_profile_nowhere() -> Scenario {
    let mut s = Scenario::new(|| {
        let h = Home::new().var("AWS_PROFILE", "etl");
        h.write(
            ".aws/config",
            format!(
                "[profile etl]\nrole_arn = {}\nsource_profile = nowhere\n",
                arn("etl")
            ),
        );
        h.write(".aws/credentials", base_keys());
        h
    })
    .recommends(&BOTH, "repair-config");
    // aws-config goes on to the next source; `aws configure sso` is the alternative.
    s.sso_answers = true;
    s.repair = Some(|text, _| {
        assert!(text.contains("source_profile = nowhere"), "{text}");
        text.replace("source_profile = nowhere", "source_profile = base")
    });
    s
}

/// No credentials anywhere.
fn no_credentials() -> Scenario {
    let mut s = Scenario::new(Home::new).recommends(&BOTH, "configure-credentials");
    s.sso_answers = true;
    s
}

/// The offline scenarios: `scenarios()` lists them (for the coverage and the shell corpus)
/// and `prove::NAME` proves each.
macro_rules! scenarios {
    ($($name:ident),* $(,)?) => {
        fn scenarios() -> Vec<(&'static str, Scenario)> {
            vec![$((stringify!($name), $name())),*]
        }

        /// One test per scenario: every fix it offers that changes configuration, IAM or the
        /// selected profile, applied alone, for each SDK.
        mod prove {
            $(
                #[test]
                fn $name() {
                    super::prove(&super::$name());
                }
            )*
        }
    };
}

scenarios!(
    duration_above_max,
    duration_out_of_range,
    chained_duration,
    planned_chained,
    planned_one_hour_role,
    exported_planned,
    exported_shadowing_a_profile,
    exported_shadowing_an_odd_profile,
    exported_alone,
    exported_in_a_container,
    role_from_expiring_source,
    broken_config,
    source_profile_nowhere,
    no_credentials,
);

// ---------------------------------------------------------------------------------------
// The proof.
// ---------------------------------------------------------------------------------------

/// Whether a fix's steps change what a proof can apply and check again: a config edit, an IAM
/// change, `aws configure set|sso`, the editor on a config file, or the profile the job
/// selects.
fn is_provable(steps: &[Value]) -> bool {
    steps.iter().any(|s| match s["kind"].as_str() {
        Some("config") => true,
        Some("shell") => {
            let c = s["command"].as_str().unwrap();
            c.starts_with("aws iam ")
                || c.starts_with("aws configure set ")
                || c.starts_with("aws configure sso")
                || c.starts_with("${EDITOR")
                || c.starts_with("export AWS_PROFILE=")
        }
        _ => false,
    })
}

/// (fix id, SDK) proven.
type Proven = Vec<(String, Sdk)>;

/// Proves every provable fix of `s` for every SDK it names; what was proven.
fn prove(s: &Scenario) -> Proven {
    let mut proven = Vec::new();
    for &(sdk, recommended) in &s.recommends {
        if let Some(reset) = &s.before_each {
            reset();
        }
        let home = (s.build)();
        let r0 = s.check(&home, sdk, &s.args);
        let fixes = r0["fixes"].as_array().unwrap();
        let Some(recommended) = recommended else {
            assert_eq!(r0["verdict"], "pass", "{}: {r0}", sdk.name());
            assert!(fixes.is_empty(), "{}: {r0}", sdk.name());
            continue;
        };
        assert_eq!(
            (fixes[0]["id"].as_str().unwrap(), &fixes[0]["recommended"]),
            (recommended, &Value::Bool(true)),
            "{}: {r0}",
            sdk.name()
        );
        assert!(
            is_provable(fixes[0]["steps"].as_array().unwrap()),
            "{} {recommended}: the recommended fix has no step that changes the configuration, \
             IAM or the selected profile: {}",
            sdk.name(),
            fixes[0]["steps"]
        );
        for (i, fix) in fixes.iter().enumerate() {
            let steps = fix["steps"].as_array().unwrap();
            if !is_provable(steps) {
                continue;
            }
            let id = fix["id"].as_str().unwrap();
            let used = prove_one(s, sdk, id);
            if i == 0 {
                // Every value the scenario gives stands for a placeholder the recommended fix
                // prints: when the report learns the real value, the scenario must say so.
                for (p, _) in &s.fill {
                    assert!(
                        used.contains(p),
                        "{} {id}: the scenario fills {p:?}, which the fix no longer prints",
                        sdk.name()
                    );
                }
            }
            proven.push((id.to_string(), sdk));
        }
    }
    proven
}

/// What the steps changed beside the files: the run's flags and environment.
struct Applied {
    home: Home,
    args: Vec<String>,
    /// Flags for checking the plan again (`--role-arn`) in the scenario's own machine, with
    /// the IAM change applied: set when an IAM step ran.
    plan_args: Option<Vec<String>>,
    /// The job's credentials changed (another profile selected, a session exported).
    credentials_changed: bool,
}

/// Checks a fresh copy of the machine, applies fix `id` of its report to it, checks again;
/// the placeholders it filled.
fn prove_one(s: &Scenario, sdk: Sdk, id: &str) -> BTreeSet<&'static str> {
    let what = format!("{} {id}", sdk.name());
    if let Some(reset) = &s.before_each {
        reset();
    }
    let home = (s.build)();
    let r0 = s.check(&home, sdk, &s.args);
    let fix = r0["fixes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id)
        .unwrap_or_else(|| panic!("{what}: not offered again to a copy of the machine: {r0}"));
    let asked: Vec<String> = r0["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["fixes"].as_array().unwrap().iter().any(|f| f == id))
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    assert!(!asked.is_empty(), "{what}: no check asks for it: {r0}");
    let (applied, used) = apply(s, home, &r0, fix, &what);

    if let Some(plan_args) = &applied.plan_args {
        // The plan, asked again of the unchanged machine: the role now gives the session.
        let r = s.check(&(s.build)(), sdk, plan_args);
        for c in &asked {
            assert_eq!(status(&r, c), "pass", "{what}: {c} again, planned: {r}");
        }
    }
    let mut args = applied.args.clone();
    // Once the job's credentials are the planned role's (a profile for it, or its session
    // exported), the plan is the job: check those credentials, not a new plan from them.
    // (Asked again with `--role-arn`, a profile for the role would be said chained: see
    // `known_issue_planning_the_role_the_profile_assumes_says_chained`.)
    if applied.credentials_changed {
        take_flag(&mut args, "--role-arn");
    }
    let r = s.check(&applied.home, sdk, &args);
    for c in &asked {
        assert_eq!(status(&r, c), "pass", "{what}: {c} after the fix: {r}");
    }
    assert_eq!(r["verdict"], "pass", "{what}: after the fix: {r}");
    assert!(
        !fix_ids(&r).iter().any(|x| x == id),
        "{what}: offered again after it was applied: {r}"
    );
    used
}

/// Applies `fix`'s steps to `home`, the machine whose report `r0` offered it.
fn apply(
    s: &Scenario,
    mut home: Home,
    r0: &Value,
    fix: &Value,
    what: &str,
) -> (Applied, BTreeSet<&'static str>) {
    let mut used = BTreeSet::new();
    let mut commands = Vec::new();
    for step in fix["steps"].as_array().unwrap() {
        match step["kind"].as_str().unwrap() {
            "config" => {
                let file = step["file"].as_str().unwrap();
                let rel = file
                    .strip_prefix("~/")
                    .unwrap_or_else(|| panic!("{what}: a config step for {file}"));
                let section = filled(s, step["section"].as_str().unwrap(), &mut used, what);
                let set: Vec<(String, String)> = step["set"]
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| (k.clone(), filled(s, v.as_str().unwrap(), &mut used, what)))
                    .collect();
                let remove: Vec<String> = step["remove"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|k| k.as_str().unwrap().to_string())
                    .collect();
                edit_ini(&home, rel, &section, &set, &remove);
            }
            "shell" => commands.push(filled(
                s,
                step["command"].as_str().unwrap(),
                &mut used,
                what,
            )),
            _ => {}
        }
    }
    let before: BTreeMap<String, String> = env_of(&home);
    let (mut env, calls) = run_shell(&home, &commands, what);
    let mut args = s.args.clone();
    let mut plan_args = None;
    let role_in_plan = r0["session_limit"]["role_name"].as_str().map(String::from);
    for call in calls {
        let argv: Vec<&str> = call.argv.iter().map(String::as_str).collect();
        match argv.as_slice() {
            ["editor", file] => {
                let repair = s
                    .repair
                    .unwrap_or_else(|| panic!("{what}: the scenario says no repair to make"));
                let line = commands[call.step]
                    .split("# line ")
                    .nth(1)
                    .map(|n| n.trim().parse::<u32>().unwrap());
                let text = std::fs::read_to_string(file)
                    .unwrap_or_else(|e| panic!("{what}: the editor opens {file}: {e}"));
                assert!(
                    Path::new(file).starts_with(home.path()),
                    "{what}: the editor opens {file}, outside HOME"
                );
                std::fs::write(file, repair(&text, line)).unwrap();
                home.settle();
            }
            ["aws", "iam", "update-role", rest @ ..] => {
                let role = option(rest, "--role-name").unwrap();
                let secs = option(rest, "--max-session-duration").unwrap();
                assert_eq!(Some(role), role_in_plan.as_deref(), "{what}: {argv:?}");
                match s.live {
                    Some(moto) => {
                        let (keys, _) = caller_of(&home, &call, rest, what);
                        aws_call(moto, &keys, &argv[1..]);
                    }
                    None => {
                        set_flag(&mut args, "--max-session-duration", &format!("{secs}s"));
                        if s.args.iter().any(|a| a == "--role-arn") {
                            let mut p = s.args.clone();
                            set_flag(&mut p, "--max-session-duration", &format!("{secs}s"));
                            plan_args = Some(p);
                        }
                    }
                }
                if s.live.is_some() && s.args.iter().any(|a| a == "--role-arn") {
                    plan_args = Some(s.args.clone());
                }
            }
            ["aws", "configure", "set", key, value, rest @ ..] => {
                let profile = option(rest, "--profile")
                    .or(Some(call.caller[3].as_str()).filter(|p| !p.is_empty()));
                let section = match profile {
                    None | Some("default") => "default".to_string(),
                    Some(p) => format!("profile {p}"),
                };
                edit_ini(
                    &home,
                    ".aws/config",
                    &section,
                    &[(key.to_string(), value.to_string())],
                    &[],
                );
            }
            ["aws", "configure", "list", ..] => {}
            ["aws", "configure", "sso", rest @ ..] => {
                assert!(
                    s.sso_answers,
                    "{what}: the scenario has no answers for {argv:?}"
                );
                configure_sso(&home, option(rest, "--profile").unwrap_or("default"));
            }
            ["aws", "sts", "assume-role", rest @ ..] => {
                let role = option(rest, "--role-arn").unwrap();
                let secs: i64 = option(rest, "--duration-seconds").unwrap().parse().unwrap();
                let (keys, chained) = caller_of(&home, &call, rest, what);
                let max = match s.live {
                    Some(moto) => {
                        let name = role.rsplit('/').next().unwrap();
                        aws_call(moto, &keys, &["iam", "get-role", "--role-name", name])["Role"]
                            ["MaxSessionDuration"]
                            .as_i64()
                    }
                    None => flag(&args, "--max-session-duration").map(|d| seconds_of(&d)),
                };
                // STS's rules (moto does not enforce them): the session is at most the role's
                // MaxSessionDuration, and at most 1 h when chained.
                let max = max.unwrap_or_else(|| {
                    panic!("{what}: {argv:?} with the role's MaxSessionDuration unknown")
                });
                assert!(
                    secs <= max,
                    "{what}: STS refuses {argv:?}: the role allows {max}s"
                );
                assert!(
                    !chained || secs <= CHAINED_MAX,
                    "{what}: STS refuses {argv:?}: the session is chained (1h at most)"
                );
                let session = match s.live {
                    Some(moto) => {
                        let c = aws_call(moto, &keys, &argv[1..])["Credentials"].clone();
                        [
                            "AccessKeyId",
                            "SecretAccessKey",
                            "SessionToken",
                            "Expiration",
                        ]
                        .map(|k| c[k].as_str().unwrap().to_string())
                    }
                    None => [
                        KEY_ID.to_string(),
                        SECRET.to_string(),
                        TOKEN.to_string(),
                        (chrono::Utc::now() + chrono::TimeDelta::seconds(secs))
                            .format("%Y-%m-%dT%H:%M:%SZ")
                            .to_string(),
                    ],
                };
                // What the user exports from the answer.
                for (k, v) in [
                    "AWS_ACCESS_KEY_ID",
                    "AWS_SECRET_ACCESS_KEY",
                    "AWS_SESSION_TOKEN",
                    "AWS_CREDENTIAL_EXPIRATION",
                ]
                .iter()
                .zip(session)
                {
                    env.insert(k.to_string(), v);
                }
            }
            _ => panic!("{what}: a proof does not know how to apply {argv:?}"),
        }
    }
    let credentials_changed = [
        "AWS_PROFILE",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
    ]
    .iter()
    .any(|k| before.get(*k) != env.get(*k));
    home.replace_env(env.into_iter().collect());
    (
        Applied {
            home,
            args,
            plan_args,
            credentials_changed,
        },
        used,
    )
}

/// The keys an `aws` call signs with, and whether they are a role session (so that assuming a
/// role with them is chained), as botocore picks them: the profile `--profile` names (an
/// explicit profile negates the environment provider, botocore/credentials.py), else the
/// exported keys, else AWS_PROFILE's or the default profile; a profile's long-term keys come
/// from the credentials file, and a role or SSO profile gives a role session.
fn caller_of(
    home: &Home,
    call: &Call,
    rest: &[&str],
    what: &str,
) -> (BTreeMap<String, String>, bool) {
    let [key, secret, token, selected] = &call.caller;
    let mut keys = BTreeMap::new();
    let explicit = option(rest, "--profile");
    if explicit.is_none() && !key.is_empty() {
        keys.insert("AWS_ACCESS_KEY_ID".to_string(), key.clone());
        keys.insert("AWS_SECRET_ACCESS_KEY".to_string(), secret.clone());
        if !token.is_empty() {
            keys.insert("AWS_SESSION_TOKEN".to_string(), token.clone());
        }
        return (keys, !token.is_empty());
    }
    let profile = explicit
        .or(Some(selected.as_str()).filter(|p| !p.is_empty()))
        .unwrap_or("default");
    let config = std::fs::read_to_string(home.path().join(".aws/config")).unwrap_or_default();
    let section = if profile == "default" {
        "default".to_string()
    } else {
        format!("profile {profile}")
    };
    if ini_section(&config, &section)
        .iter()
        .any(|(k, _)| k == "role_arn" || k.starts_with("sso_"))
    {
        return (keys, true);
    }
    let creds = std::fs::read_to_string(home.path().join(".aws/credentials")).unwrap_or_default();
    let found = ini_section(&creds, profile);
    let get = |k: &str| found.iter().find(|(x, _)| x == k).map(|(_, v)| v.clone());
    let (Some(id), Some(secret)) = (get("aws_access_key_id"), get("aws_secret_access_key")) else {
        panic!(
            "{what}: {:?} finds no credentials (profile {profile})",
            call.argv
        );
    };
    keys.insert("AWS_ACCESS_KEY_ID".to_string(), id);
    keys.insert("AWS_SECRET_ACCESS_KEY".to_string(), secret);
    (keys, get("aws_session_token").is_some())
}

/// The `key = value` lines of `[section]` in an INI text.
fn ini_section(text: &str, section: &str) -> Vec<(String, String)> {
    let header = format!("[{section}]");
    text.lines()
        .skip_while(|l| l.trim() != header)
        .skip(1)
        .take_while(|l| !l.trim_start().starts_with('['))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// `text` with the scenario's values for the placeholders in it; a placeholder left is a
/// failure that names it.
fn filled(s: &Scenario, text: &str, used: &mut BTreeSet<&'static str>, what: &str) -> String {
    let mut out = text.to_string();
    for (p, v) in &s.fill {
        if out.contains(p) {
            out = out.replace(p, v);
            used.insert(p);
        }
    }
    for p in [ROLE_PLACEHOLDER, SOURCE_PLACEHOLDER, PROFILE_PLACEHOLDER] {
        assert!(
            !out.contains(p),
            "{what}: the step prints the placeholder {p:?} and the scenario gives no value: {text}"
        );
    }
    assert!(
        !(out.contains('<') && out.contains('>')),
        "{what}: an unknown placeholder in {text:?}"
    );
    out
}

/// The value after `name` in a command's words.
fn option<'a>(words: &[&'a str], name: &str) -> Option<&'a str> {
    words
        .iter()
        .position(|w| *w == name)
        .map(|i| *words.get(i + 1).expect("an option's value"))
}

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .map(|i| args[i + 1].clone())
}

fn set_flag(args: &mut Vec<String>, name: &str, value: &str) {
    take_flag(args, name);
    args.extend([name.to_string(), value.to_string()]);
}

/// Removes `name VALUE`; whether it was there.
fn take_flag(args: &mut Vec<String>, name: &str) -> bool {
    match args.iter().position(|a| a == name) {
        Some(i) => {
            args.drain(i..i + 2);
            true
        }
        None => false,
    }
}

/// `1h`, `7h`, `25200s` in seconds.
fn seconds_of(d: &str) -> i64 {
    let (n, unit) = d.split_at(d.len() - 1);
    let n: i64 = n.parse().unwrap();
    match unit {
        "h" => n * 3600,
        "m" => n * 60,
        "s" => n,
        _ => panic!("{d}"),
    }
}

fn env_of(home: &Home) -> BTreeMap<String, String> {
    home.run_env()
        .into_iter()
        .map(|(k, v)| (k, v.into_string().unwrap()))
        .collect()
}

/// Sets `set` and removes `remove` in `[section]` of the INI file `rel` under HOME, creating
/// the section (and the file) when absent.
fn edit_ini(home: &Home, rel: &str, section: &str, set: &[(String, String)], remove: &[String]) {
    let path = home.path().join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let header = format!("[{section}]");
    let start = match lines.iter().position(|l| l.trim() == header) {
        Some(i) => i,
        None => {
            lines.push(header);
            lines.len() - 1
        }
    };
    let key_of = |l: &str| l.split_once('=').map(|(k, _)| k.trim().to_string());
    let end = |lines: &[String]| {
        lines[start + 1..]
            .iter()
            .position(|l| l.trim_start().starts_with('['))
            .map_or(lines.len(), |i| start + 1 + i)
    };
    let mut i = start + 1;
    while i < end(&lines) {
        if key_of(&lines[i]).is_some_and(|k| remove.contains(&k)) {
            lines.remove(i);
        } else {
            i += 1;
        }
    }
    for (k, v) in set {
        let e = end(&lines);
        match (start + 1..e).find(|&i| key_of(&lines[i]).as_deref() == Some(k)) {
            Some(i) => lines[i] = format!("{k} = {v}"),
            None => lines.insert(e, format!("{k} = {v}")),
        }
    }
    home.write(rel, lines.join("\n") + "\n");
}

/// What `aws configure sso --profile P` writes once its questions are answered (start URL,
/// SSO region, the account and role picked), as awscli/customizations/configure/
/// sso_commands.py does: the profile's sso_session, sso_account_id, sso_role_name and region,
/// the `[sso-session]` section, and the token its login caches.
fn configure_sso(home: &Home, profile: &str) {
    let section = if profile == "default" {
        "default".to_string()
    } else {
        format!("profile {profile}")
    };
    let set = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    edit_ini(
        home,
        ".aws/config",
        &section,
        &set(&[
            ("sso_session", "corp"),
            ("sso_account_id", ACCOUNT),
            ("sso_role_name", "Developer"),
            ("region", "us-east-1"),
        ]),
        &[],
    );
    edit_ini(
        home,
        ".aws/config",
        "sso-session corp",
        &set(&[
            ("sso_start_url", "https://corp.awsapps.com/start"),
            ("sso_region", "us-east-1"),
            ("sso_registration_scopes", "sso:account:access"),
        ]),
        &[],
    );
    // The token cache key of sso-session corp: `printf %s corp | sha1sum`.
    home.write(
        ".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json",
        format!(
            r#"{{"startUrl": "https://corp.awsapps.com/start", "region": "us-east-1", "accessToken": "{TOKEN}", "expiresAt": "{}", "refreshToken": "{TOKEN}", "clientId": "proof", "clientSecret": "{SECRET}", "registrationExpiresAt": "{}"}}"#,
            rfc3339_in(60),
            rfc3339_in(90 * 24 * 60)
        ),
    );
}

/// Calls `aws ARGV…` on moto (tests/support/aws_cli_model.py, through botocore's model) with
/// the caller's keys; the answer.
fn aws_call(moto: &Moto, keys: &BTreeMap<String, String>, argv: &[&str]) -> Value {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/support/aws_cli_model.py"
    );
    let mut cmd = Command::new(required("EXPIRY_DOCTOR_PYTHON"));
    cmd.arg(script).arg("call").arg(&moto.url).args(argv);
    for k in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
    ] {
        cmd.env_remove(k);
    }
    cmd.envs(keys);
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "aws {argv:?} on moto: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

// ---------------------------------------------------------------------------------------
// The shell sandbox.
// ---------------------------------------------------------------------------------------

/// A call a step made: `aws …` or `editor FILE`; `step` is the index of its command.
struct Call {
    step: usize,
    /// What the call would sign with: the exported AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
    /// AWS_SESSION_TOKEN and AWS_PROFILE when it ran (empty: not set).
    caller: [String; 4],
    argv: Vec<String>,
}

/// The sandbox's prelude: `aws` and the editor record their arguments (NUL-separated, after
/// a count), nothing else can be found (`PATH` points nowhere), unknown programs are said on
/// stderr.
const PRELUDE: &str = r#"__proof_log=$1
__proof_record() { { printf '%s\n' "$#"; printf '%s\0' "$@"; } >> "$__proof_log"; }
aws() { __proof_record "$__proof_step" "${AWS_ACCESS_KEY_ID-}" "${AWS_SECRET_ACCESS_KEY-}" "${AWS_SESSION_TOKEN-}" "${AWS_PROFILE-}" aws "$@"; }
__proof_editor() { __proof_record "$__proof_step" "" "" "" "" editor "$@"; }
command_not_found_handle() { printf 'runs a program: %s\n' "$1" >&2; return 127; }
EDITOR=__proof_editor
__proof_path=$PATH
PATH=/nonexistent/fix-proofs
"#;

/// Runs `commands` in order in bash with HOME's environment (`set -e`: a failing step fails
/// the proof); the environment they leave, and the calls they made.
fn run_shell(
    home: &Home,
    commands: &[String],
    what: &str,
) -> (BTreeMap<String, String>, Vec<Call>) {
    let dir = tempfile::tempdir().unwrap();
    let mut script = String::from(PRELUDE);
    script.push_str("set -e\n");
    for (i, c) in commands.iter().enumerate() {
        script.push_str(&format!("__proof_step={i}\n{c}\n"));
    }
    script.push_str("PATH=$__proof_path\nexec /usr/bin/env -0\n");
    let file = dir.path().join("steps.sh");
    std::fs::write(&file, &script).unwrap();
    let log = dir.path().join("calls");
    let out = Command::new("/bin/bash")
        .arg("--noprofile")
        .arg("--norc")
        .arg(&file)
        .arg(&log)
        .env_clear()
        .envs(home.run_env())
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{what}: the steps failed in bash ({}):\n{script}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let env = out
        .stdout
        .split(|b| *b == 0)
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let kv = String::from_utf8(kv.to_vec()).unwrap();
            let (k, v) = kv.split_once('=').unwrap();
            (k.to_string(), v.to_string())
        })
        .filter(|(k, _)| !["PWD", "OLDPWD", "SHLVL", "_"].contains(&k.as_str()))
        .collect();
    (env, read_calls(&log))
}

fn read_calls(log: &Path) -> Vec<Call> {
    let bytes = std::fs::read(log).unwrap_or_default();
    let mut calls = Vec::new();
    let mut rest = &bytes[..];
    while !rest.is_empty() {
        let nl = rest.iter().position(|b| *b == b'\n').unwrap();
        let n: usize = std::str::from_utf8(&rest[..nl]).unwrap().parse().unwrap();
        rest = &rest[nl + 1..];
        let mut words = Vec::new();
        for _ in 0..n {
            let end = rest.iter().position(|b| *b == 0).unwrap();
            words.push(String::from_utf8(rest[..end].to_vec()).unwrap());
            rest = &rest[end + 1..];
        }
        let step = words.remove(0).parse().unwrap();
        let caller: Vec<String> = words.drain(..4).collect();
        calls.push(Call {
            step,
            caller: caller.try_into().unwrap(),
            argv: words,
        });
    }
    calls
}

// ---------------------------------------------------------------------------------------
// Coverage: every fix id that changes configuration or IAM has a proof.
// ---------------------------------------------------------------------------------------

/// Fix values of every shape each id has (an exhaustive match: a new id does not compile
/// without its samples), with values that need quoting.
fn samples(id: FixId) -> Vec<Fix> {
    let odd = "it's \"odd\" $(touch pwned) `x` a;b";
    let role = || Some(arn("etl"));
    match id {
        FixId::DeleteDurationSeconds => ["job", "default", odd]
            .map(|p| Fix::DeleteDurationSeconds { profile: p.into() })
            .to_vec(),
        FixId::UseRefreshingProfile => vec![
            Fix::UseRefreshingProfile {
                target: RefreshingSource::Profile("etl".into()),
            },
            Fix::UseRefreshingProfile {
                target: RefreshingSource::Profile(odd.into()),
            },
            Fix::UseRefreshingProfile {
                target: RefreshingSource::InstanceRole { role_arn: None },
            },
            Fix::UseRefreshingProfile {
                target: RefreshingSource::InstanceRole { role_arn: role() },
            },
            Fix::UseRefreshingProfile {
                target: RefreshingSource::ContainerRole { role_arn: role() },
            },
            Fix::UseRefreshingProfile {
                target: RefreshingSource::NewRoleProfile { role_arn: None },
            },
        ],
        FixId::RaiseMaxSessionDuration => vec![
            Fix::RaiseMaxSessionDuration {
                role: "etl".into(),
                needed_seconds: 6 * 3600 + 300,
                request: None,
            },
            Fix::RaiseMaxSessionDuration {
                role: "etl".into(),
                needed_seconds: 6 * 3600 + 300,
                request: Some(SessionRequest {
                    profile: Some(odd.into()),
                    role_arn: role(),
                    from_session: false,
                }),
            },
            Fix::RaiseMaxSessionDuration {
                role: "etl".into(),
                needed_seconds: 11 * 3600,
                request: Some(SessionRequest {
                    profile: None,
                    role_arn: None,
                    from_session: false,
                }),
            },
            Fix::RaiseMaxSessionDuration {
                role: "etl".into(),
                needed_seconds: 6 * 3600 + 300,
                request: Some(SessionRequest {
                    profile: None,
                    role_arn: role(),
                    from_session: true,
                }),
            },
        ],
        FixId::RequestLongerSession => vec![
            Fix::RequestLongerSession {
                profile: Some("default".into()),
                role_arn: role(),
                needed_seconds: 900,
            },
            Fix::RequestLongerSession {
                profile: None,
                role_arn: role(),
                needed_seconds: 43_200,
            },
        ],
        FixId::AvoidRoleChaining => vec![
            Fix::AvoidRoleChaining {
                role_arn: role(),
                base_profile: Some("base".into()),
            },
            Fix::AvoidRoleChaining {
                role_arn: None,
                base_profile: None,
            },
        ],
        FixId::SsoLogin => ["dev", "default", odd]
            .map(|p| Fix::SsoLogin { profile: p.into() })
            .to_vec(),
        FixId::ExtendSsoSession => [6 * 3600 + 300, 10 * 3600]
            .map(|n| Fix::ExtendSsoSession {
                profile: "dev".into(),
                needed_seconds: n,
            })
            .to_vec(),
        FixId::SplitOrCheckpointJob => vec![Fix::SplitOrCheckpointJob {
            runtime_seconds: 14 * 3600,
            longest_seconds: 12 * 3600,
        }],
        FixId::SyncClock => vec![Fix::SyncClock],
        FixId::ConfigureCredentials => vec![
            Fix::ConfigureCredentials { profile: None },
            Fix::ConfigureCredentials {
                profile: Some(odd.into()),
            },
        ],
        FixId::RepairConfig => vec![
            Fix::RepairConfig {
                problem: Problem::new(
                    ProblemKind::ConfigFile,
                    "/home/dev/.aws/my config",
                    "Profile definition must end with ']'",
                )
                .at_line(Some(4)),
                file: Some("/home/dev/.aws/my config".into()),
            },
            Fix::RepairConfig {
                problem: Problem::new(
                    ProblemKind::Profile,
                    "profile etl",
                    "names source_profile nowhere, which does not exist",
                ),
                file: None,
            },
        ],
        FixId::RecordExpiration => vec![
            Fix::RecordExpiration { profile: None },
            Fix::RecordExpiration {
                profile: Some(odd.into()),
            },
        ],
        FixId::RepairCredentialProcess => ["default", "job", odd]
            .map(|p| Fix::RepairCredentialProcess { profile: p.into() })
            .to_vec(),
        FixId::RenewWebIdentityToken => vec![Fix::RenewWebIdentityToken {
            token_file: "/var/run/secrets/token".into(),
        }],
        FixId::RefreshEcrLogin => vec![
            Fix::RefreshEcrLogin { registry: None },
            Fix::RefreshEcrLogin {
                registry: Some(odd.into()),
            },
        ],
        FixId::UseEksGetToken => vec![
            Fix::UseEksGetToken { cluster: None },
            Fix::UseEksGetToken {
                cluster: Some(odd.into()),
            },
        ],
        FixId::PresignWhenUsed => vec![
            Fix::PresignWhenUsed {
                expires_seconds: Some(86_400),
                signed_by_session: true,
            },
            Fix::PresignWhenUsed {
                expires_seconds: None,
                signed_by_session: false,
            },
        ],
    }
}

fn sample_steps(fix: &Fix) -> Vec<Value> {
    serde_json::to_value(plan(fix).steps)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// The fix ids `explain --list` prints.
fn listed_fix_ids() -> Vec<String> {
    let out = Home::new()
        .cmd()
        .args(["explain", "--list"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let fixes = text
        .split("\nFixes\n")
        .nth(1)
        .unwrap()
        .split("\n\n")
        .next()
        .unwrap();
    fixes
        .lines()
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect()
}

/// Every fix id whose steps change configuration or IAM (in any of its shapes) is proven by a
/// scenario, for every SDK the scenario's problem reaches.
#[test]
fn every_fix_with_config_or_iam_steps_has_a_proof() {
    let listed = listed_fix_ids();
    assert!(listed.len() >= 13, "{listed:?}");
    // What the scenarios offer, for which SDK: `prove::NAME` proves each of these.
    let mut offered: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for (_, s) in scenarios() {
        for &(sdk, _) in &s.recommends {
            let r = s.check(&(s.build)(), sdk, &s.args);
            for f in r["fixes"].as_array().unwrap() {
                if is_provable(f["steps"].as_array().unwrap()) {
                    offered
                        .entry(f["id"].as_str().unwrap().to_string())
                        .or_default()
                        .insert(sdk.name());
                }
            }
        }
    }
    let mut missing = Vec::new();
    for name in &listed {
        let id: FixId = name
            .parse()
            .unwrap_or_else(|_| panic!("explain --list names {name}, no FixId"));
        let provable = samples(id).iter().any(|f| is_provable(&sample_steps(f)));
        match (provable, offered.get(name)) {
            (true, None) => missing.push(name.clone()),
            (false, Some(_)) => panic!("{name} is proven but its samples say it changes nothing"),
            _ => {}
        }
    }
    assert!(
        missing.is_empty(),
        "fixes with config or IAM steps and no proof scenario: {missing:?} (proven: {offered:?})"
    );
    // Both SDKs wherever the problem reaches both: these are the fixes proven for one only,
    // because the other SDK does not hit the problem (aws-config ignores duration_seconds).
    let one_sdk: Vec<&String> = offered
        .iter()
        .filter(|(_, s)| s.len() < 2)
        .map(|(k, _)| k)
        .collect();
    assert_eq!(
        one_sdk,
        ["delete-duration-seconds", "request-longer-session"],
        "proven for one SDK only: {offered:?}"
    );
}

// ---------------------------------------------------------------------------------------
// Every shell step parses, and runs nothing unexpected.
// ---------------------------------------------------------------------------------------

/// Every fix's steps the product can print: each scenario's report for both SDKs, every
/// fixture replayed at several runtimes, every sample of the catalog. (where, steps)
fn corpus() -> Vec<(String, Vec<Value>)> {
    let mut all = Vec::new();
    for (name, s) in scenarios() {
        for sdk in BOTH {
            let r = s.check(&(s.build)(), sdk, &s.args);
            for f in r["fixes"].as_array().unwrap() {
                all.push((
                    format!("scenario {name} {} {}", sdk.name(), f["id"]),
                    f["steps"].as_array().unwrap().clone(),
                ));
            }
        }
    }
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/examples");
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        for runtime in ["1h", "6h", "14h"] {
            let out = Home::new()
                .cmd()
                .args([
                    "check",
                    "--output",
                    "json",
                    "--expected-runtime",
                    runtime,
                    "--facts",
                ])
                .arg(&path)
                .output()
                .unwrap();
            let r: Value = serde_json::from_slice(&out.stdout).unwrap();
            for f in r["fixes"].as_array().unwrap() {
                all.push((
                    format!("fixture {} {runtime} {}", path.display(), f["id"]),
                    f["steps"].as_array().unwrap().clone(),
                ));
            }
        }
    }
    for name in listed_fix_ids() {
        for fix in samples(name.parse().unwrap()) {
            all.push((format!("sample {fix:?}"), sample_steps(&fix)));
        }
    }
    all
}

fn shell_commands(corpus: &[(String, Vec<Value>)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (at, steps) in corpus {
        for s in steps.iter().filter(|s| s["kind"] == "shell") {
            let c = s["command"].as_str().unwrap().to_string();
            if !out.iter().any(|(_, x)| *x == c) {
                out.push((at.clone(), c));
            }
        }
    }
    out
}

/// Every shell step passes `bash -n`, and in the sandbox (no PATH, `aws` and the editor
/// recorded) calls no program but `aws`, the editor, `sudo`/`chronyc`/`timedatectl` of
/// sync-clock and `docker` of refresh-ecr-login: a value from outside (a profile named
/// `$(touch pwned)`) stays one word.
#[test]
fn every_shell_step_parses_and_runs_only_what_it_says() {
    let commands = shell_commands(&corpus());
    assert!(commands.len() > 20, "{commands:?}");
    let dir = tempfile::tempdir().unwrap();
    for (at, c) in &commands {
        let file = dir.path().join("step.sh");
        std::fs::write(&file, format!("{c}\n")).unwrap();
        let out = Command::new("/bin/bash")
            .arg("-n")
            .arg(&file)
            .output()
            .unwrap();
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "bash -n refuses a step of {at}:\n{c}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let (programs, calls) = sandbox(c);
        for p in &programs {
            assert!(
                ["sudo", "chronyc", "timedatectl", "docker"].contains(&p.as_str()),
                "a step of {at} runs {p}: {c}"
            );
        }
        for call in &calls {
            if call.argv.iter().any(|w| w.contains("pwned")) {
                assert!(
                    call.argv
                        .contains(&"it's \"odd\" $(touch pwned) `x` a;b".to_string()),
                    "{at}: the odd value is not one word: {:?}",
                    call.argv
                );
            }
        }
    }
}

/// Runs one command in the sandbox: the programs it tried to run, and its recorded calls.
fn sandbox(command: &str) -> (Vec<String>, Vec<Call>) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("step.sh");
    std::fs::write(&file, format!("{PRELUDE}__proof_step=0\n{command}\n")).unwrap();
    let log = dir.path().join("calls");
    let out = Command::new("/bin/bash")
        .arg("--noprofile")
        .arg("--norc")
        .arg(&file)
        .arg(&log)
        .env_clear()
        .env("HOME", dir.path())
        .current_dir(dir.path())
        .output()
        .unwrap();
    let programs = String::from_utf8(out.stderr)
        .unwrap()
        .lines()
        .map(|l| {
            l.strip_prefix("runs a program: ")
                .unwrap_or_else(|| panic!("{command}: {l}"))
                .to_string()
        })
        .collect();
    assert!(
        !dir.path().join("pwned").exists(),
        "{command} ran a command substitution"
    );
    (programs, read_calls(&log))
}

/// Every `aws` call any step makes (from the sandbox, so quoting is bash's own), deduplicated:
/// the words after `aws`.
fn aws_calls() -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for (at, c) in shell_commands(&corpus()) {
        for call in sandbox(&c).1 {
            if call.argv[0] == "aws" {
                let argv = call.argv[1..].to_vec();
                if !out.iter().any(|(_, x)| *x == argv) {
                    out.push((at.clone(), argv));
                }
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Every aws command is real.
// ---------------------------------------------------------------------------------------

/// The AWS CLI v2's own commands the fixes use, which are not in botocore's models, with the
/// options each takes.
/// From the AWS CLI v2's source, github.com/aws/aws-cli branch v2 at 73fb33b (2026-07-23):
/// - `configure` subcommands: awscli/customizations/configure/configure.py, `SUBCOMMANDS`;
/// - `configure export-credentials`: configure/exportcreds.py, `ARG_TABLE` (`--format`, one
///   of `SUPPORTED_FORMATS`: process, env, env-no-export, powershell, windows-cmd, fish);
/// - `configure set`: configure/set.py, `ARG_TABLE` (positional `varname` and `value`,
///   `--sso-session`, `--services`);
/// - `configure list`: configure/list.py (no `ARG_TABLE`: only the global options);
/// - `configure get`: configure/get.py, `ARG_TABLE` (positional `varname`, `--sso-session`,
///   `--services`; synopsis `aws configure get varname [--profile profile-name]`);
/// - `configure sso`: configure/sso_commands.py, `ConfigureSSOCommand.ARG_TABLE = LOGIN_ARGS`
///   (sso/utils.py: `--no-browser`, `--use-device-code`, both `store_true`);
/// - `sso login`: customizations/sso/login.py, `LoginCommand.ARG_TABLE = LOGIN_ARGS +
///   --sso-session`;
/// - `ecr get-login-password`: customizations/ecr.py, `ECRGetLoginPassword` (no `ARG_TABLE`);
/// - `eks update-kubeconfig`: customizations/eks/update_kubeconfig.py,
///   `UpdateKubeconfigCommand.ARG_TABLE` (`--name` required, `--kubeconfig`, `--role-arn`,
///   `--alias`, `--user-alias`; `--dry-run`, `--verbose`);
/// - `s3 presign`: customizations/s3/subcommands.py, `PresignCommand.ARG_TABLE` (positional
///   `path`, `--expires-in`).
///
/// The global options the fixes may add anywhere: `--profile`, `--region`, `--output`
/// (awscli/data/cli.json `options`).
/// One of the AWS CLI's own commands: its words, how many positional arguments, the options
/// that take a value, the flags.
struct CliCommand {
    words: &'static [&'static str],
    positional: usize,
    valued: &'static [&'static str],
    flags: &'static [&'static str],
}

const CLI_OWN: &[CliCommand] = &[
    CliCommand {
        words: &["configure", "export-credentials"],
        positional: 0,
        valued: &["--format"],
        flags: &[],
    },
    CliCommand {
        words: &["configure", "set"],
        positional: 2,
        valued: &["--sso-session", "--services"],
        flags: &[],
    },
    CliCommand {
        words: &["configure", "get"],
        positional: 1,
        valued: &["--sso-session", "--services"],
        flags: &[],
    },
    CliCommand {
        words: &["configure", "list"],
        positional: 0,
        valued: &[],
        flags: &[],
    },
    CliCommand {
        words: &["configure", "sso"],
        positional: 0,
        valued: &[],
        flags: &["--no-browser", "--use-device-code"],
    },
    CliCommand {
        words: &["sso", "login"],
        positional: 0,
        valued: &["--sso-session"],
        flags: &["--no-browser", "--use-device-code"],
    },
    CliCommand {
        words: &["ecr", "get-login-password"],
        positional: 0,
        valued: &[],
        flags: &[],
    },
    CliCommand {
        words: &["eks", "update-kubeconfig"],
        positional: 0,
        valued: &[
            "--name",
            "--kubeconfig",
            "--role-arn",
            "--alias",
            "--user-alias",
        ],
        flags: &["--dry-run", "--verbose"],
    },
    CliCommand {
        words: &["s3", "presign"],
        positional: 1,
        valued: &["--expires-in"],
        flags: &[],
    },
];
const GLOBAL_OPTIONS: &[&str] = &["--profile", "--region", "--output"];
const EXPORT_FORMATS: &[&str] = &[
    "process",
    "env",
    "env-no-export",
    "powershell",
    "windows-cmd",
    "fish",
];

/// Checks a call of the AWS CLI's own commands; `None` when it is a service command.
fn check_cli_own(argv: &[String]) -> Option<Result<(), String>> {
    let CliCommand {
        words,
        positional,
        valued,
        flags,
    } = CLI_OWN
        .iter()
        .find(|c| argv.len() >= c.words.len() && argv[..c.words.len()] == *c.words)?;
    let mut rest = &argv[words.len()..];
    let mut seen = 0;
    while let Some(w) = rest.first() {
        if GLOBAL_OPTIONS.contains(&w.as_str()) || valued.contains(&w.as_str()) {
            let Some(v) = rest.get(1) else {
                return Some(Err(format!("{w} needs a value")));
            };
            if w == "--format" && !EXPORT_FORMATS.contains(&v.as_str()) {
                return Some(Err(format!("--format {v}: not one of {EXPORT_FORMATS:?}")));
            }
            rest = &rest[2..];
        } else if flags.contains(&w.as_str()) {
            rest = &rest[1..];
        } else if w.starts_with("--") {
            return Some(Err(format!("aws {}: no option {w}", words.join(" "))));
        } else {
            seen += 1;
            rest = &rest[1..];
        }
    }
    Some(if seen == *positional {
        Ok(())
    } else {
        Err(format!(
            "{seen} positional arguments, {positional} expected"
        ))
    })
}

/// The AWS CLI's own commands the fixes print, against the cited allow-list (plain `cargo
/// test`); the service commands are held to botocore's models by the next test.
#[test]
fn every_aws_cli_own_command_is_real() {
    let calls = aws_calls();
    let own: Vec<_> = calls
        .iter()
        .filter_map(|(at, argv)| check_cli_own(argv).map(|r| (at, argv, r)))
        .collect();
    assert!(own.len() >= 5, "{calls:?}");
    for (at, argv, r) in own {
        assert!(r.is_ok(), "{at}: aws {argv:?}: {}", r.unwrap_err());
    }
    // The allow-list refuses what the AWS CLI refuses.
    for bad in [
        &["configure", "set", "duration_seconds"][..],
        &["configure", "export-credentials", "--format", "bash"],
        &["sso", "login", "--start-url", "x"],
    ] {
        let argv: Vec<String> = bad.iter().map(|s| s.to_string()).collect();
        assert!(check_cli_own(&argv).unwrap().is_err(), "{bad:?}");
    }
}

/// Every service command (`aws iam update-role`, `aws sts assume-role`, …) names a service,
/// an operation and options that botocore 1.44.18's models have, with values of the member's
/// type within its bounds and every required member given.
#[test]
#[ignore = "needs scripts/test"]
fn every_aws_service_command_is_in_botocore_models() {
    let calls = aws_calls();
    let service: Vec<&(String, Vec<String>)> = calls
        .iter()
        .filter(|(_, argv)| check_cli_own(argv).is_none())
        .collect();
    let heads: BTreeSet<String> = service.iter().map(|(_, a)| a[..2].join(" ")).collect();
    assert!(
        heads.contains("iam update-role") && heads.contains("sts assume-role"),
        "{heads:?}"
    );
    let verdicts = botocore_check(service.iter().map(|(_, a)| a.clone()).collect());
    for ((at, argv), v) in service.iter().zip(verdicts) {
        assert!(v.is_null(), "{at}: aws {}: {v}", argv.join(" "));
    }
    // The model check refuses what the AWS CLI refuses.
    let bad = botocore_check(vec![
        words(&[
            "iam",
            "update-role",
            "--role-name",
            "etl",
            "--max-session-duration",
            "50000",
        ]),
        words(&["iam", "update-role", "--role", "etl"]),
        words(&[
            "sts",
            "assume-role",
            "--role-arn",
            &arn("etl"),
            "--duration-seconds",
            "3600",
        ]),
        words(&[
            "sso-admin",
            "update-permission-set",
            "--session-length",
            "PT8H",
        ]),
        words(&["ssoadmin", "list-instances"]),
    ]);
    assert!(bad.iter().all(|v| v.is_string()), "{bad:?}");
}

fn words(w: &[&str]) -> Vec<String> {
    w.iter().map(|s| s.to_string()).collect()
}

fn botocore_check(commands: Vec<Vec<String>>) -> Vec<Value> {
    use std::io::Write;
    use std::process::Stdio;
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/support/aws_cli_model.py"
    );
    let mut child = Command::new(required("EXPIRY_DOCTOR_PYTHON"))
        .arg(script)
        .arg("check")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(&commands).unwrap().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    serde_json::from_slice::<Vec<Value>>(&out.stdout).unwrap()
}

// ---------------------------------------------------------------------------------------
// Live: the IAM and STS steps against moto, whose answers the live check then reads.
// ---------------------------------------------------------------------------------------

/// A role profile with `duration_seconds = 21600` on a 1 h role in moto (MaxSessionDuration
/// read live by iam:GetRole): deleting the line, or raising the role with `aws iam
/// update-role` called on moto.
#[test]
#[ignore = "needs scripts/test"]
fn live_duration_above_max_session_duration() {
    let moto = Moto::shared();
    let role = moto.role("proof-above-max", 3600);
    let (k, sk) = moto.user("proof-above-max-user", &[]);
    let url = moto.url.clone();
    let mut s = Scenario::new(move || {
        let h = Home::new().endpoint(&url).var("AWS_PROFILE", "etl");
        h.write(
            ".aws/config",
            format!("[profile etl]\nrole_arn = {role}\nsource_profile = base\nduration_seconds = 21600\n"),
        );
        h.write(
            ".aws/credentials",
            format!("[base]\naws_access_key_id = {k}\naws_secret_access_key = {sk}\n"),
        );
        h
    })
    .recommends(&[Sdk::Python], "delete-duration-seconds")
    .passes_for(Sdk::Rust);
    s.live = Some(moto);
    s.before_each = Some(Box::new(|| reset_max_session(moto, "proof-above-max")));
    let proven = prove(&s);
    assert!(
        proven.contains(&("raise-max-session-duration".into(), Sdk::Python)),
        "{proven:?}"
    );
}

/// Planning a 1 h role in moto from long-term keys: `aws iam update-role` and `aws sts
/// assume-role` called on moto; the plan passes, and so does the session it gave.
#[test]
#[ignore = "needs scripts/test"]
fn live_planned_one_hour_role() {
    let moto = Moto::shared();
    let role = moto.role("proof-plan-1h", 3600);
    let (k, sk) = moto.user("proof-plan-user", &[]);
    let url = moto.url.clone();
    let mut s = Scenario::new(move || {
        Home::new()
            .endpoint(&url)
            .var("AWS_ACCESS_KEY_ID", &k)
            .var("AWS_SECRET_ACCESS_KEY", &sk)
    })
    .args(&["--role-arn", &role])
    .recommends(&BOTH, "raise-max-session-duration");
    s.live = Some(moto);
    s.before_each = Some(Box::new(|| reset_max_session(moto, "proof-plan-1h")));
    let proven = prove(&s);
    assert_eq!(
        proven,
        [
            ("raise-max-session-duration".to_string(), Sdk::Rust),
            ("raise-max-session-duration".to_string(), Sdk::Python)
        ]
    );
}

/// Each proof starts from the role as seeded (1 h): the one before may have raised it.
fn reset_max_session(moto: &Moto, role: &str) {
    let argv = [
        "iam",
        "update-role",
        "--role-name",
        role,
        "--max-session-duration",
        "3600",
    ];
    aws_call(moto, &BTreeMap::new(), &argv);
}

/// A session exported from moto, without its expiry: the role is learnt from the caller
/// identity, so the new role profile names it; its source is the user's long-term keys.
#[test]
#[ignore = "needs scripts/test"]
fn live_exported_session_gets_a_role_profile() {
    let moto = Moto::shared();
    let role = moto.role("proof-exported-1h", 3600);
    let (k, sk) = moto.user("proof-exported-user", &[]);
    let c = moto.assume(&role, &k, &sk, 3600);
    let url = moto.url.clone();
    let mut s = Scenario::new(move || {
        let h = Home::new()
            .endpoint(&url)
            .var("AWS_ACCESS_KEY_ID", &c[0])
            .var("AWS_SECRET_ACCESS_KEY", &c[1])
            .var("AWS_SESSION_TOKEN", &c[2]);
        h.write(
            ".aws/credentials",
            format!("[base]\naws_access_key_id = {k}\naws_secret_access_key = {sk}\n"),
        );
        h
    })
    .recommends(&BOTH, "use-refreshing-profile")
    .fill(SOURCE_PLACEHOLDER, "base");
    s.live = Some(moto);
    s.before_each = Some(Box::new(|| reset_max_session(moto, "proof-exported-1h")));
    let proven = prove(&s);
    for id in ["use-refreshing-profile", "raise-max-session-duration"] {
        for sdk in BOTH {
            assert!(proven.contains(&(id.to_string(), sdk)), "{proven:?}");
        }
    }
}

/// Known issue, left alone here (it is gathering's, not a fix's): planning with `--role-arn`
/// the very role the selected profile assumes from long-term keys reports the plan as chained
/// (`gather::planned_chaining` takes any assume-role source for a role session), so a user who
/// applied avoid-role-chaining or use-refreshing-profile and re-ran the same command would be
/// told to avoid the chain again. The proofs therefore check the job's new credentials without
/// `--role-arn` once the fix made them the planned role's. When gathering is fixed this test
/// fails: turn the assertion around, and the proofs may keep `--role-arn`.
#[test]
fn known_issue_planning_the_role_the_profile_assumes_says_chained() {
    let h = role_profile("");
    let (r, _) = h.check_json(&[
        "--expected-runtime",
        "6h",
        "--role-arn",
        &arn("etl"),
        "--max-session-duration",
        "12h",
    ]);
    assert_eq!(r["session_limit"]["role_chaining"], true, "{r}");
    assert_eq!(status(&r, "session-limit"), "fail", "{r}");
    assert_eq!(status(&r, "expected-runtime"), "pass", "{r}");
}
