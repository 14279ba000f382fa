# expiry-doctor in a container: the release binary on distroless (glibc, CA certificates, no
# shell, no package manager), run as an unprivileged user. Build and run (docs/install.md):
#
#   docker build -t expiry-doctor .
#   docker run --rm --user "$(id -u):$(id -g)" -v "$HOME/.aws:/home/nonroot/.aws:ro" \
#       -e AWS_PROFILE -e AWS_REGION -e AWS_ACCESS_KEY_ID -e AWS_SECRET_ACCESS_KEY \
#       -e AWS_SESSION_TOKEN -e AWS_CREDENTIAL_EXPIRATION \
#       expiry-doctor check --expected-runtime 6h

# --- build: the same release profile as scripts/release, with the locked dependencies ---------
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked \
    && ./target/release/expiry-doctor --version

# --- run: distroless/cc has glibc and libgcc (the binary is linked against them) and the CA
# certificates the HTTPS probes (STS, IAM) verify against; nothing else ---------------------
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /src/target/release/expiry-doctor /usr/local/bin/expiry-doctor
# The mounted ~/.aws is read from HOME whatever user --user picks (files under ~/.aws are
# usually mode 600, readable only by their owner: run as that owner). 65532 is distroless's
# nonroot user, the default.
ENV HOME=/home/nonroot
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/expiry-doctor"]
CMD ["check"]
