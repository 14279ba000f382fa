#!/usr/bin/env bash
# Completes command lines in bash as TAB does, and prints what bash's completion offers for
# each: a line `> LINE`, then one candidate (COMPREPLY entry) a line.
#   bash --norc --noprofile bash_complete.sh LINE...
# It registers expiry-doctor as a user does (`source <(expiry-doctor completions bash)`), asks
# bash which function `complete -p` bound to the command, and calls it the way readline does:
# COMP_WORDS, COMP_CWORD, COMP_LINE, COMP_POINT and COMP_TYPE set, and the command, the word
# being completed and the word before it as arguments. expiry-doctor must be on PATH.
set -euo pipefail
# shellcheck source=/dev/null
source <(expiry-doctor completions bash)
spec=$(complete -p expiry-doctor) || { echo "no completion registered for expiry-doctor" >&2; exit 3; }
fn=${spec##*-F }
fn=${fn%% *}
for line in "$@"; do
    read -ra COMP_WORDS <<<"$line"
    # A line ending in a space completes a new, empty word.
    [[ $line == *' ' ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE=$line
    COMP_POINT=${#line}
    COMP_TYPE=9
    COMPREPLY=()
    "$fn" expiry-doctor "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    printf '> %s\n' "$line"
    if ((${#COMPREPLY[@]})); then printf '%s\n' "${COMPREPLY[@]}"; fi
done
