
set edit:completion:arg-completer[expiry-doctor] = { |@words|
    var index = (count $words)
    set index = (- $index 1)

    put (env _CLAP_IFS="\n" _CLAP_COMPLETE_INDEX=(to-string $index) EXPIRY_DOCTOR_COMPLETE="elvish" expiry-doctor -- $@words) | to-lines
}

