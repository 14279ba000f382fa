
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'expiry-doctor' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'expiry-doctor'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'expiry-doctor' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Also print the AWS SDK''s own log events (aws-config, STS, IAM) on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check whether the current credentials will last as long as the job')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Gate, watch and explain a long job: check, run it, watch its credentials, diagnose a failure')
            [CompletionResult]::new('triage', 'triage', [CompletionResultType]::ParameterValue, 'Diagnose a job that died mid-run from its log: credential expiry, clock skew, SSO, or not')
            [CompletionResult]::new('roles', 'roles', [CompletionResultType]::ParameterValue, 'Audit the account''s roles: which cannot give a session as long as --min-session')
            [CompletionResult]::new('prompt', 'prompt', [CompletionResultType]::ParameterValue, 'Print the time left on the current credentials, for a shell prompt (offline, fast)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions for bash, zsh, fish, powershell or elvish')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain a check, fix or triage class: what it means, why it matters, how to fix it')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'expiry-doctor;check' {
            [CompletionResult]::new('--expected-runtime', '--expected-runtime', [CompletionResultType]::ParameterName, 'How long the job runs, e.g. 6h, 90m, 1h30m, 45s (whole seconds, at most a year)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile the job uses, as AWS_PROFILE would select it')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The region for STS and IAM calls (default: AWS_REGION, the profile''s region)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Plan for this role: can a session of it last the job at all?')
            [CompletionResult]::new('--max-session-duration', '--max-session-duration', [CompletionResultType]::ParameterName, 'What the role''s MaxSessionDuration is, when iam:GetRole is not permitted (1h to 12h)')
            [CompletionResult]::new('--margin', '--margin', [CompletionResultType]::ParameterName, 'How long before expiry counts as too late (whole seconds, at most 24h)')
            [CompletionResult]::new('--ntp-server', '--ntp-server', [CompletionResultType]::ParameterName, 'NTP server for the clock-skew check, HOST[:PORT] (on EC2, 169.254.169.123 is better)')
            [CompletionResult]::new('--max-clock-skew', '--max-clock-skew', [CompletionResultType]::ParameterName, 'Warn when the clock is off by more than this (at most 5m); fail at 5m, the SigV4 limit')
            [CompletionResult]::new('--facts', '--facts', [CompletionResultType]::ParameterName, 'Evaluate a saved report (--output json) or fixture instead of gathering')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'The whole run ends within this, whatever hangs')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Report format on stdout: table, json (replayable with --facts), markdown (for $GITHUB_STEP_SUMMARY and merge-request comments), github (workflow-command annotations)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'The lowest verdict that makes the exit code 1')
            [CompletionResult]::new('--sdk', '--sdk', [CompletionResultType]::ParameterName, 'The SDK the job runs: python (botocore: boto3 and the AWS CLI), rust (aws-config), any')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--all-profiles', '--all-profiles', [CompletionResultType]::ParameterName, 'Check every profile in the AWS config, concurrently, one row each; this runs every profile''s credential_process (--no-credential-process does not)')
            [CompletionResult]::new('--no-ntp', '--no-ntp', [CompletionResultType]::ParameterName, 'Do not ask an NTP server (the AWS clock is still compared when STS answers)')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'No network probes (STS, IAM, NTP, the SDK''s providers): local facts only; a profile''s credential_process still runs, with the network it wants, unless --no-credential-process')
            [CompletionResult]::new('--no-credential-process', '--no-credential-process', [CompletionResultType]::ParameterName, 'Never run a profile''s credential_process: name the source, leave its credentials unverified')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print the verdict line only')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print the verdict line only')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also print every fact gathered and where it came from (table output)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also print every fact gathered and where it came from (table output)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Also print the AWS SDK''s own log events (aws-config, STS, IAM) on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'expiry-doctor;exec' {
            [CompletionResult]::new('--expected-runtime', '--expected-runtime', [CompletionResultType]::ParameterName, 'How long the job runs, e.g. 6h, 90m, 1h30m, 45s (whole seconds, at most a year)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile the job uses, as AWS_PROFILE would select it')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The region for STS and IAM calls (default: AWS_REGION, the profile''s region)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Plan for this role: can a session of it last the job at all?')
            [CompletionResult]::new('--max-session-duration', '--max-session-duration', [CompletionResultType]::ParameterName, 'What the role''s MaxSessionDuration is, when iam:GetRole is not permitted (1h to 12h)')
            [CompletionResult]::new('--margin', '--margin', [CompletionResultType]::ParameterName, 'How long before expiry counts as too late (whole seconds, at most 24h)')
            [CompletionResult]::new('--ntp-server', '--ntp-server', [CompletionResultType]::ParameterName, 'NTP server for the clock-skew check, HOST[:PORT] (on EC2, 169.254.169.123 is better)')
            [CompletionResult]::new('--max-clock-skew', '--max-clock-skew', [CompletionResultType]::ParameterName, 'Warn when the clock is off by more than this (at most 5m); fail at 5m, the SigV4 limit')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'The lowest verdict that makes the exit code 1')
            [CompletionResult]::new('--sdk', '--sdk', [CompletionResultType]::ParameterName, 'The SDK the job runs: python (botocore: boto3 and the AWS CLI), rust (aws-config), any')
            [CompletionResult]::new('--watch-interval', '--watch-interval', [CompletionResultType]::ParameterName, 'How often to re-resolve the job''s credentials while it runs (also 15 and 5 minutes before their expiry, and just after it)')
            [CompletionResult]::new('--watch-log', '--watch-log', [CompletionResultType]::ParameterName, 'Append the watch lines to this file instead of stderr')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Write the whole record as JSON to this file when the run ends: the pre-flight report, every observation, the first error lines and the diagnosis')
            [CompletionResult]::new('--facts', '--facts', [CompletionResultType]::ParameterName, 'Evaluate a saved report (--output json) or fixture instead of gathering')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'table: lines for people on stderr; json: the whole record, to --report FILE')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'The pre-flight check, and each observation, end within this (the job runs as long as it runs)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--no-ntp', '--no-ntp', [CompletionResultType]::ParameterName, 'Do not ask an NTP server (the AWS clock is still compared when STS answers)')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'No network probes (STS, IAM, NTP, the SDK''s providers): local facts only; a profile''s credential_process still runs, with the network it wants, unless --no-credential-process')
            [CompletionResult]::new('--no-credential-process', '--no-credential-process', [CompletionResultType]::ParameterName, 'Never run a profile''s credential_process: name the source, leave its credentials unverified')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also print every fact gathered and where it came from (table output)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also print every fact gathered and where it came from (table output)')
            [CompletionResult]::new('--no-gate', '--no-gate', [CompletionResultType]::ParameterName, 'Start the job even when the pre-flight check fails (a warning says so)')
            [CompletionResult]::new('--all-profiles', '--all-profiles', [CompletionResultType]::ParameterName, 'Check every profile in the AWS config, concurrently, one row each; this runs every profile''s credential_process (--no-credential-process does not)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No pre-flight PASS line and no watch lines on stderr (the warning and the diagnosis still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No pre-flight PASS line and no watch lines on stderr (the warning and the diagnosis still print)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Also print the AWS SDK''s own log events (aws-config, STS, IAM) on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'expiry-doctor;triage' {
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'The job''s log: a file (plain or .gz, detected by content) or - for stdin')
            [CompletionResult]::new('--started-at', '--started-at', [CompletionResultType]::ParameterName, 'When the job started (default: the first timestamped line), e.g. 2026-11-23T08:00:00Z')
            [CompletionResult]::new('--expires-at', '--expires-at', [CompletionResultType]::ParameterName, 'When the credentials were known to expire, to confirm the failure matches it')
            [CompletionResult]::new('--max-session-duration', '--max-session-duration', [CompletionResultType]::ParameterName, 'The role''s MaxSessionDuration, to match the failure against it too (1h to 12h)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Stop reading by then (an endless pipe, a device, a FIFO no program writes to); what was read is diagnosed, and the report says where reading stopped')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Report format on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print the diagnosis line only')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print the diagnosis line only')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Also print the AWS SDK''s own log events (aws-config, STS, IAM) on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'expiry-doctor;roles' {
            [CompletionResult]::new('--min-session', '--min-session', [CompletionResultType]::ParameterName, 'The session length a job needs, e.g. 6h (15m to 12h)')
            [CompletionResult]::new('--margin', '--margin', [CompletionResultType]::ParameterName, 'Added to --min-session, as `check` adds it to --expected-runtime: a role passes when one session lasts the job plus this, and the suggested MaxSessionDuration is the same one `check` suggests')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose credentials list the roles')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The region for the IAM client (IAM is global; this only picks the partition''s endpoint)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'The whole run ends within this')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Report format on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Also print the AWS SDK''s own log events (aws-config, STS, IAM) on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'expiry-doctor;prompt' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile to look at (default: AWS_PROFILE, as the SDKs select it)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'icon: ⏳31m, ⚠ 12m, ⚠ expired, ⏳?; plain: 31m, expired, unknown (no symbols)')
            [CompletionResult]::new('--warn-within', '--warn-within', [CompletionResultType]::ParameterName, 'Below this much time left, the prompt warns (⚠ instead of ⏳; plain: a trailing !)')
            [CompletionResult]::new('--sdk', '--sdk', [CompletionResultType]::ParameterName, 'Whose resolution to follow: python (boto3, the AWS CLI), rust, any (the least time left)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Also print the AWS SDK''s own log events (aws-config, STS, IAM) on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'expiry-doctor;completions' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Also print the AWS SDK''s own log events (aws-config, STS, IAM) on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'expiry-doctor;man' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Also print the AWS SDK''s own log events (aws-config, STS, IAM) on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'expiry-doctor;explain' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'List every id with its one-line summary')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Also print the AWS SDK''s own log events (aws-config, STS, IAM) on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'expiry-doctor;help' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check whether the current credentials will last as long as the job')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Gate, watch and explain a long job: check, run it, watch its credentials, diagnose a failure')
            [CompletionResult]::new('triage', 'triage', [CompletionResultType]::ParameterValue, 'Diagnose a job that died mid-run from its log: credential expiry, clock skew, SSO, or not')
            [CompletionResult]::new('roles', 'roles', [CompletionResultType]::ParameterValue, 'Audit the account''s roles: which cannot give a session as long as --min-session')
            [CompletionResult]::new('prompt', 'prompt', [CompletionResultType]::ParameterValue, 'Print the time left on the current credentials, for a shell prompt (offline, fast)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions for bash, zsh, fish, powershell or elvish')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain a check, fix or triage class: what it means, why it matters, how to fix it')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'expiry-doctor;help;check' {
            break
        }
        'expiry-doctor;help;exec' {
            break
        }
        'expiry-doctor;help;triage' {
            break
        }
        'expiry-doctor;help;roles' {
            break
        }
        'expiry-doctor;help;prompt' {
            break
        }
        'expiry-doctor;help;completions' {
            break
        }
        'expiry-doctor;help;man' {
            break
        }
        'expiry-doctor;help;explain' {
            break
        }
        'expiry-doctor;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
