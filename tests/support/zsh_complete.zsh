# Completes command lines in a real interactive zsh, as TAB does, and prints what zsh's
# completion system offers for each: a line `> LINE`, then one candidate a line.
#   zsh -f zsh_complete.zsh (source|fpath) LINE...
# `source` registers expiry-doctor with `source <(expiry-doctor completions zsh)`; `fpath`
# installs that script as `_expiry-doctor` in a directory on $fpath, as packages do, and lets
# compinit autoload it on the first TAB.
# Needs (the test sets them): ZT_ZSH (the zsh binary), ZT_MODULES (its module directory),
# ZT_FUNCTIONS (its share/zsh/functions), ZT_DIR (a scratch directory); expiry-doctor on PATH.
#
# How: zsh's completion widgets run only inside its line editor, so the zsh under test runs
# interactively on a pseudo-terminal (zsh/zpty). There, `compadd` (which every completion
# function ends in) is wrapped to also write the candidates that match what is typed into a
# file, and TAB is bound to a widget that completes and then marks the end of the answer; this
# script types each line and a TAB, waits for the mark, clears the line, and prints the file.
emulate -L zsh
setopt err_exit
module_path=($ZT_MODULES)
zmodload zsh/zpty
mode=$1; shift
capture=$ZT_DIR/capture
: >$capture
if [[ $mode == fpath ]]; then
    mkdir -p $ZT_DIR/site-functions
    expiry-doctor completions zsh >$ZT_DIR/site-functions/_expiry-doctor
    register="fpath=($ZT_DIR/site-functions \$fpath)"
else
    register=''
fi
cat >$ZT_DIR/init.zsh <<INIT
PS1='' RPROMPT=''
module_path=($ZT_MODULES)
fpath=($ZT_FUNCTIONS/Completion $ZT_FUNCTIONS/Completion/Base)
$register
zmodload zsh/zle
setopt zle
autoload -Uz compinit && compinit -u -D
zt-complete() {
    zle complete-word
    print -r -- 'ZT_DONE_MARK' >>$capture
    print -r -- 'ZT_DONE_MARK'
}
zle -N zt-complete
bindkey '^I' zt-complete
bindkey '^U' kill-whole-line
[[ $mode == source ]] && source <(expiry-doctor completions zsh)
compadd() {
    if (( \${@[(I)-[OAD]]} )); then builtin compadd "\$@"; return; fi
    local -a zt_hits
    builtin compadd -O zt_hits "\$@"
    (( \$#zt_hits )) && print -rl -- \$zt_hits >>$capture
    builtin compadd "\$@"
}
print -r -- 'ZT_READY_MARK'
INIT
zpty zt "$ZT_ZSH -f -i"
zpty -w zt "source $ZT_DIR/init.zsh"
zpty -r zt out '*ZT_READY_MARK*'
for line in "$@"; do
    print -r -- "> $line" >>$capture
    zpty -w -n zt "$line"$'\t'
    zpty -r zt out '*ZT_DONE_MARK*'
    zpty -w -n zt $'\C-u'
done
zpty -w zt 'exit'
while zpty -r zt out; do :; done
grep -v '^ZT_DONE_MARK$' $capture
