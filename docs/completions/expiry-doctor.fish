# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_expiry_doctor_global_optspecs
    string join \n color= debug h/help V/version
end

function __fish_expiry_doctor_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_expiry_doctor_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_expiry_doctor_using_subcommand
    set -l cmd (__fish_expiry_doctor_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c expiry-doctor -n "__fish_expiry_doctor_needs_command" -l color -d 'Colour: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c expiry-doctor -n "__fish_expiry_doctor_needs_command" -l debug -d 'Also print the AWS SDK\'s own log events (aws-config, STS, IAM) on stderr'
complete -c expiry-doctor -n "__fish_expiry_doctor_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expiry-doctor -n "__fish_expiry_doctor_needs_command" -s V -l version -d 'Print version'
complete -c expiry-doctor -n "__fish_expiry_doctor_needs_command" -f -a "check" -d 'Check whether the current credentials will last as long as the job'
complete -c expiry-doctor -n "__fish_expiry_doctor_needs_command" -f -a "exec" -d 'Gate, watch and explain a long job: check, run it, watch its credentials, diagnose a failure'
complete -c expiry-doctor -n "__fish_expiry_doctor_needs_command" -f -a "triage" -d 'Diagnose a job that died mid-run from its log: credential expiry, clock skew, SSO, or not'
complete -c expiry-doctor -n "__fish_expiry_doctor_needs_command" -f -a "roles" -d 'Audit the account\'s roles: which cannot give a session as long as --min-session'
complete -c expiry-doctor -n "__fish_expiry_doctor_needs_command" -f -a "prompt" -d 'Print the time left on the current credentials, for a shell prompt (offline, fast)'
complete -c expiry-doctor -n "__fish_expiry_doctor_needs_command" -f -a "completions" -d 'Print shell completions for bash, zsh, fish, powershell or elvish'
complete -c expiry-doctor -n "__fish_expiry_doctor_needs_command" -f -a "man" -d 'Print the man page (roff)'
complete -c expiry-doctor -n "__fish_expiry_doctor_needs_command" -f -a "explain" -d 'Explain a check, fix or triage class: what it means, why it matters, how to fix it'
complete -c expiry-doctor -n "__fish_expiry_doctor_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand check" -l expected-runtime -d 'How long the job runs, e.g. 6h, 90m, 1h30m, 45s (whole seconds, at most a year)' -r
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand check" -l profile -d 'The profile the job uses, as AWS_PROFILE would select it' -r
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand check" -l region -d 'The region for STS and IAM calls (default: AWS_REGION, the profile\'s region)' -r
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand check" -l role-arn -d 'Plan for this role: can a session of it last the job at all?' -r
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand check" -l max-session-duration -d 'What the role\'s MaxSessionDuration is, when iam:GetRole is not permitted (1h to 12h)' -r
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand check" -l margin -d 'How long before expiry counts as too late (whole seconds, at most 24h)' -r
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand check" -l ntp-server -d 'NTP server for the clock-skew check, HOST[:PORT] (on EC2, 169.254.169.123 is better)' -r
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand check" -l max-clock-skew -d 'Warn when the clock is off by more than this (at most 5m); fail at 5m, the SigV4 limit' -r
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand check" -l facts -d 'Evaluate a saved report (--output json) or fixture instead of gathering' -r -F
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand check" -l timeout -d 'The whole run ends within this, whatever hangs' -r
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand check" -l output -d 'Report format on stdout: table, json (replayable with --facts), markdown (for $GITHUB_STEP_SUMMARY and merge-request comments), github (workflow-command annotations)' -r -f -a "table\t'A table for people'
json\t'The version-1 JSON report (replayable with --facts)'
markdown\t'Markdown, for $GITHUB_STEP_SUMMARY and merge-request comments'
github\t'GitHub Actions workflow commands (::error::/::warning:: annotations)'"
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand check" -l fail-on -d 'The lowest verdict that makes the exit code 1' -r -f -a "warn\t'Exit 1 on warnings too'
fail\t'Exit 1 only on failures'"
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand check" -l sdk -d 'The SDK the job runs: python (botocore: boto3 and the AWS CLI), rust (aws-config), any' -r -f -a "python\t'botocore, which boto3 and the AWS CLI (v1 and v2) are built on'
rust\t'aws-config, the AWS SDK for Rust\'s configuration loader'
any\t'Every modelled SDK; the worse verdict when they differ'"
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand check" -l color -d 'Colour: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand check" -l all-profiles -d 'Check every profile in the AWS config, concurrently, one row each; this runs every profile\'s credential_process (--no-credential-process does not)'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand check" -l no-ntp -d 'Do not ask an NTP server (the AWS clock is still compared when STS answers)'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand check" -l offline -d 'No network probes (STS, IAM, NTP, the SDK\'s providers): local facts only; a profile\'s credential_process still runs, with the network it wants, unless --no-credential-process'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand check" -l no-credential-process -d 'Never run a profile\'s credential_process: name the source, leave its credentials unverified'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand check" -s q -l quiet -d 'Print the verdict line only'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand check" -s v -l verbose -d 'Also print every fact gathered and where it came from (table output)'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand check" -l debug -d 'Also print the AWS SDK\'s own log events (aws-config, STS, IAM) on stderr'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand check" -s V -l version -d 'Print version'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand exec" -l expected-runtime -d 'How long the job runs, e.g. 6h, 90m, 1h30m, 45s (whole seconds, at most a year)' -r
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand exec" -l profile -d 'The profile the job uses, as AWS_PROFILE would select it' -r
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand exec" -l region -d 'The region for STS and IAM calls (default: AWS_REGION, the profile\'s region)' -r
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand exec" -l role-arn -d 'Plan for this role: can a session of it last the job at all?' -r
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand exec" -l max-session-duration -d 'What the role\'s MaxSessionDuration is, when iam:GetRole is not permitted (1h to 12h)' -r
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand exec" -l margin -d 'How long before expiry counts as too late (whole seconds, at most 24h)' -r
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand exec" -l ntp-server -d 'NTP server for the clock-skew check, HOST[:PORT] (on EC2, 169.254.169.123 is better)' -r
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand exec" -l max-clock-skew -d 'Warn when the clock is off by more than this (at most 5m); fail at 5m, the SigV4 limit' -r
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand exec" -l fail-on -d 'The lowest verdict that makes the exit code 1' -r -f -a "warn\t'Exit 1 on warnings too'
fail\t'Exit 1 only on failures'"
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand exec" -l sdk -d 'The SDK the job runs: python (botocore: boto3 and the AWS CLI), rust (aws-config), any' -r -f -a "python\t'botocore, which boto3 and the AWS CLI (v1 and v2) are built on'
rust\t'aws-config, the AWS SDK for Rust\'s configuration loader'
any\t'Every modelled SDK; the worse verdict when they differ'"
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand exec" -l watch-interval -d 'How often to re-resolve the job\'s credentials while it runs (also 15 and 5 minutes before their expiry, and just after it)' -r
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand exec" -l watch-log -d 'Append the watch lines to this file instead of stderr' -r -F
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand exec" -l report -d 'Write the whole record as JSON to this file when the run ends: the pre-flight report, every observation, the first error lines and the diagnosis' -r -F
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand exec" -l facts -d 'Evaluate a saved report (--output json) or fixture instead of gathering' -r -F
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand exec" -l output -d 'table: lines for people on stderr; json: the whole record, to --report FILE' -r -f -a "table\t'A table for people'
json\t'The version-1 JSON report (replayable with --facts)'
markdown\t'Markdown, for $GITHUB_STEP_SUMMARY and merge-request comments'
github\t'GitHub Actions workflow commands (::error::/::warning:: annotations)'"
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand exec" -l timeout -d 'The pre-flight check, and each observation, end within this (the job runs as long as it runs)' -r
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand exec" -l color -d 'Colour: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand exec" -l no-ntp -d 'Do not ask an NTP server (the AWS clock is still compared when STS answers)'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand exec" -l offline -d 'No network probes (STS, IAM, NTP, the SDK\'s providers): local facts only; a profile\'s credential_process still runs, with the network it wants, unless --no-credential-process'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand exec" -l no-credential-process -d 'Never run a profile\'s credential_process: name the source, leave its credentials unverified'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand exec" -s v -l verbose -d 'Also print every fact gathered and where it came from (table output)'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand exec" -l no-gate -d 'Start the job even when the pre-flight check fails (a warning says so)'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand exec" -l all-profiles -d 'Check every profile in the AWS config, concurrently, one row each; this runs every profile\'s credential_process (--no-credential-process does not)'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand exec" -s q -l quiet -d 'No pre-flight PASS line and no watch lines on stderr (the warning and the diagnosis still print)'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand exec" -l debug -d 'Also print the AWS SDK\'s own log events (aws-config, STS, IAM) on stderr'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand exec" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand exec" -s V -l version -d 'Print version'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand triage" -l log -d 'The job\'s log: a file (plain or .gz, detected by content) or - for stdin' -r
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand triage" -l started-at -d 'When the job started (default: the first timestamped line), e.g. 2026-11-23T08:00:00Z' -r
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand triage" -l expires-at -d 'When the credentials were known to expire, to confirm the failure matches it' -r
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand triage" -l max-session-duration -d 'The role\'s MaxSessionDuration, to match the failure against it too (1h to 12h)' -r
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand triage" -l timeout -d 'Stop reading by then (an endless pipe, a device, a FIFO no program writes to); what was read is diagnosed, and the report says where reading stopped' -r
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand triage" -l output -d 'Report format on stdout' -r -f -a "table\t'A table for people'
json\t'The version-1 triage JSON'
markdown\t'Markdown, for incident notes and merge-request comments'"
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand triage" -l color -d 'Colour: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand triage" -s q -l quiet -d 'Print the diagnosis line only'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand triage" -l debug -d 'Also print the AWS SDK\'s own log events (aws-config, STS, IAM) on stderr'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand triage" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand triage" -s V -l version -d 'Print version'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand roles" -l min-session -d 'The session length a job needs, e.g. 6h (15m to 12h)' -r
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand roles" -l margin -d 'Added to --min-session, as `check` adds it to --expected-runtime: a role passes when one session lasts the job plus this, and the suggested MaxSessionDuration is the same one `check` suggests' -r
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand roles" -l profile -d 'The profile whose credentials list the roles' -r
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand roles" -l region -d 'The region for the IAM client (IAM is global; this only picks the partition\'s endpoint)' -r
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand roles" -l timeout -d 'The whole run ends within this' -r
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand roles" -l output -d 'Report format on stdout' -r -f -a "table\t''
json\t''
markdown\t''"
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand roles" -l color -d 'Colour: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand roles" -l debug -d 'Also print the AWS SDK\'s own log events (aws-config, STS, IAM) on stderr'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand roles" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand roles" -s V -l version -d 'Print version'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand prompt" -l profile -d 'The profile to look at (default: AWS_PROFILE, as the SDKs select it)' -r
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand prompt" -l format -d 'icon: ⏳31m, ⚠ 12m, ⚠ expired, ⏳?; plain: 31m, expired, unknown (no symbols)' -r -f -a "icon\t'With a symbol: ⏳31m, ⚠ 12m, ⚠ expired'
plain\t'Words only: 31m, 12m!, expired, unknown'"
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand prompt" -l warn-within -d 'Below this much time left, the prompt warns (⚠ instead of ⏳; plain: a trailing !)' -r
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand prompt" -l sdk -d 'Whose resolution to follow: python (boto3, the AWS CLI), rust, any (the least time left)' -r -f -a "python\t'botocore, which boto3 and the AWS CLI (v1 and v2) are built on'
rust\t'aws-config, the AWS SDK for Rust\'s configuration loader'
any\t'Every modelled SDK; the worse verdict when they differ'"
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand prompt" -l color -d 'Colour: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand prompt" -l debug -d 'Also print the AWS SDK\'s own log events (aws-config, STS, IAM) on stderr'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand prompt" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand prompt" -s V -l version -d 'Print version'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand completions" -l color -d 'Colour: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand completions" -l debug -d 'Also print the AWS SDK\'s own log events (aws-config, STS, IAM) on stderr'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand completions" -s V -l version -d 'Print version'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand man" -l color -d 'Colour: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand man" -l debug -d 'Also print the AWS SDK\'s own log events (aws-config, STS, IAM) on stderr'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand man" -s V -l version -d 'Print version'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand explain" -l color -d 'Colour: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand explain" -l list -d 'List every id with its one-line summary'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand explain" -l debug -d 'Also print the AWS SDK\'s own log events (aws-config, STS, IAM) on stderr'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand explain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand explain" -s V -l version -d 'Print version'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand help; and not __fish_seen_subcommand_from check exec triage roles prompt completions man explain help" -f -a "check" -d 'Check whether the current credentials will last as long as the job'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand help; and not __fish_seen_subcommand_from check exec triage roles prompt completions man explain help" -f -a "exec" -d 'Gate, watch and explain a long job: check, run it, watch its credentials, diagnose a failure'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand help; and not __fish_seen_subcommand_from check exec triage roles prompt completions man explain help" -f -a "triage" -d 'Diagnose a job that died mid-run from its log: credential expiry, clock skew, SSO, or not'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand help; and not __fish_seen_subcommand_from check exec triage roles prompt completions man explain help" -f -a "roles" -d 'Audit the account\'s roles: which cannot give a session as long as --min-session'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand help; and not __fish_seen_subcommand_from check exec triage roles prompt completions man explain help" -f -a "prompt" -d 'Print the time left on the current credentials, for a shell prompt (offline, fast)'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand help; and not __fish_seen_subcommand_from check exec triage roles prompt completions man explain help" -f -a "completions" -d 'Print shell completions for bash, zsh, fish, powershell or elvish'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand help; and not __fish_seen_subcommand_from check exec triage roles prompt completions man explain help" -f -a "man" -d 'Print the man page (roff)'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand help; and not __fish_seen_subcommand_from check exec triage roles prompt completions man explain help" -f -a "explain" -d 'Explain a check, fix or triage class: what it means, why it matters, how to fix it'
complete -c expiry-doctor -n "__fish_expiry_doctor_using_subcommand help; and not __fish_seen_subcommand_from check exec triage roles prompt completions man explain help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
