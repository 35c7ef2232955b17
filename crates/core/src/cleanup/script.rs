//! "Download as script": a reviewed plan's writes as a POSIX shell script, for runs too long for a browser
//! tab (a day per 100,000 deletions at github.com's pace). It makes exactly the plan's requests in the plan's
//! order — `inactive` statuses and DELETEs, nothing else — with curl, one at a time at GitHub's pace, waits
//! when GitHub says to (docs/github-api.md §5), counts a 404 as done (§8.4) and notes every finished step in
//! a file beside it, so running it again resumes.
//!
//! The token is never in the script: it is read from `GITHUB_TOKEN` and handed to curl on its standard input
//! (a `--config -` line), so it appears neither in the file nor on a command line other users can list.
//! Everything taken from the plan is a number (deployment ids) or validated and quoted for the shell
//! ([`sh_quote`]); nothing the API wrote (environment names, refs) is in the script at all.

use crate::api::budget::Pacing;
use crate::api::request::ApiBase;
use crate::github::model::DeploymentId;
use crate::github::validate::RepoRef;
use crate::text::{count, one_line};
use crate::timestamp::Timestamp;

use super::run::{CleanupRun, ItemState, Step};
use super::select::Write;

/// How the script paces its writes, in whole seconds (`sleep` takes no fractions in POSIX sh).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScriptPace {
    /// Seconds after each deletion's answer.
    pub gap_s: u64,
    /// Seconds after each `inactive` status's answer: content-creating requests, of which GitHub allows a
    /// number a minute and an hour.
    pub status_gap_s: u64,
}

impl ScriptPace {
    /// The pace of `pacing` for a script that sends one request at a time: the spacing between writes, and
    /// statuses spaced so that no minute and no hour holds more than GitHub allows (500 an hour: 8 s apart,
    /// at most 450 an hour — `sleep` has no 7.2).
    pub fn of(pacing: &Pacing) -> ScriptPace {
        let gap_s = pacing.write_spacing_ms.div_ceil(1_000);
        let per = |count: Option<u32>, span_s: u64| {
            count.map_or(0, |n| span_s.div_ceil(u64::from(n.max(1))))
        };
        let status_gap_s = gap_s
            .max(per(pacing.creates_per_minute, 60))
            .max(per(pacing.creates_per_hour, 3_600));
        ScriptPace {
            gap_s,
            status_gap_s,
        }
    }

    /// Seconds the script's writes take at this pace, answers taking `latency_ms` each; GitHub's waits
    /// aside.
    pub fn estimate_s(&self, statuses: usize, deletes: usize, latency_ms: u64) -> u64 {
        let (statuses, deletes) = (statuses as u64, deletes as u64);
        let pauses = statuses * self.status_gap_s + deletes * self.gap_s;
        pauses + ((statuses + deletes) * latency_ms).div_ceil(1_000)
    }

    /// "1 s after each deletion, 8 s after each “inactive” status".
    pub fn describe(&self) -> String {
        let after = |s: u64| match s {
            0 => "no pause".to_owned(),
            s => format!("{s} s"),
        };
        if self.gap_s == self.status_gap_s {
            return format!("{} after each request", after(self.gap_s));
        }
        format!(
            "{} after each deletion, {} after each \"inactive\" status",
            after(self.gap_s),
            after(self.status_gap_s)
        )
    }
}

/// The script's writes in order: for each item still to do, its `inactive` status (when its next step is
/// that) and its DELETE. Done, failed and skipped items are left out, so a run started here and paused can be
/// finished by the script.
pub fn script_steps(run: &CleanupRun) -> Vec<(Step, DeploymentId)> {
    let mut steps = Vec::new();
    for item in &run.items {
        let next = match item.state {
            ItemState::Pending { next } => next,
            ItemState::InFlight { step } => step,
            _ => continue,
        };
        if next == Step::Status {
            steps.push((Step::Status, item.id));
            continue;
        }
        if next == Step::Deactivate {
            steps.push((Step::Deactivate, item.id));
        }
        steps.push((Step::Delete, item.id));
    }
    steps
}

/// The file the script is saved as: `deploydeck-cleanup-acme-web.sh`.
pub fn script_file_name(repo: &RepoRef) -> String {
    format!("{}.sh", file_stem(repo))
}

fn file_stem(repo: &RepoRef) -> String {
    format!("deploydeck-cleanup-{}-{}", repo.owner, repo.name)
}

/// A word of the shell in single quotes: anything inside stays as it is (`'` closes, escapes and reopens).
pub use crate::text::shell_quote as sh_quote;

/// What the script needs to know besides the steps (owned: the app hands it to the module that writes the
/// script).
#[derive(Debug, Clone)]
pub struct ScriptFor {
    pub repo: RepoRef,
    pub base: ApiBase,
    /// The host as the app shows it (core's `HostChoice::label`).
    pub host_label: String,
    pub pace: ScriptPace,
    pub made_at: Timestamp,
}

/// The script: a header saying what it does and how to run, resume and check it; the settings; the
/// constant body ([`BODY`]); and the steps, one per line, read by the body.
pub fn cleanup_script(run: &CleanupRun, target: &ScriptFor) -> String {
    let steps = script_steps(run);
    let statuses = steps.iter().filter(|(s, _)| *s != Step::Delete).count();
    let deletes = steps.len() - statuses;
    let stem = file_stem(&target.repo);
    let repo = target.repo.to_string();
    // In comments, on one line whatever the names hold; in the settings, each one quoted for the shell.
    let (shown_repo, shown_stem) = (one_line(&repo), one_line(&stem));
    let estimate =
        crate::text::format_duration(target.pace.estimate_s(statuses, deletes, 300) as i64);
    let mut out = String::with_capacity(BODY.len() + 2_000 + steps.len() * 16);
    out.push_str("#!/bin/sh\n");
    for line in [
        format!("# Deploydeck: the reviewed cleanup plan of {shown_repo} on {}, as a script.", one_line(&target.host_label)),
        match run.write.status_state() {
            None => format!(
                "# {} deleted ({} an \"inactive\" status first): {}, in the plan's order.",
                count(deletes, "deployment", "deployments"),
                match statuses { 1 => "1 gets".to_owned(), n => format!("{n} get") },
                count(steps.len(), "request", "requests"),
            ),
            Some(state) => format!(
                "# {} get an \"{}\" status (nothing is deleted): {}, in the plan's order.",
                count(statuses, "deployment", "deployments"),
                state.as_str(),
                count(steps.len(), "request", "requests"),
            ),
        },
        format!("# Made {}. At this script's pace about {estimate}, plus any wait GitHub asks for.", target.made_at),
        "#".to_owned(),
        format!("# Run it:  GITHUB_TOKEN=<token> sh {shown_stem}.sh"),
        "#          The token is read from GITHUB_TOKEN, is never written in this file, and reaches curl on its".to_owned(),
        format!("#          standard input, not on its command line. It must be allowed to write deployments on {shown_repo}."),
        format!("# Check:   DRY_RUN=1 sh {shown_stem}.sh lists the steps and sends nothing."),
        format!("# Resume:  run it again. Each finished step is noted in {shown_stem}.done (or in $DEPLOYDECK_STATE)"),
        "#          and skipped; a deletion whose answer was lost answers 404 when sent again: already gone.".to_owned(),
        format!("# Pace:    one request at a time; {}.", target.pace.describe()),
        "#          On a 403 or 429 it waits as GitHub says (Retry-After, or the rate limit's reset; without either,".to_owned(),
        "#          or with a reset already past here, a minute, then twice as long each time; at most an hour)".to_owned(),
        "#          and sends the same step again.".to_owned(),
        "# Needs:   sh, curl, grep, sed, tr, date, sleep, mktemp.".to_owned(),
        String::new(),
        format!("API={}", sh_quote(target.base.root())),
        format!("REPO={}", sh_quote(&repo)),
        format!("STEM={}", sh_quote(&stem)),
        format!("GAP={}", target.pace.gap_s),
        format!("STATUS_GAP={}", target.pace.status_gap_s),
        format!("TOTAL={}", steps.len()),
        "STATE=\"${DEPLOYDECK_STATE:-$STEM.done}\"".to_owned(),
        format!("STATUS={}", sh_quote(&status_body(&run.write))),
    ] {
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str(BODY);
    for (step, id) in &steps {
        out.push_str(step_word(*step));
        out.push(' ');
        out.push_str(&id.to_string());
        out.push('\n');
    }
    out.push_str(END);
    out
}

fn step_word(step: Step) -> &'static str {
    match step {
        Step::Deactivate => "inactive",
        Step::Delete => "delete",
        Step::Status => "status",
    }
}

/// The body of a status run's POST (JSON; empty for a deletion run): the state and the description the
/// user typed, escaped by the JSON writer, then quoted for the shell.
fn status_body(write: &Write) -> String {
    match write {
        Write::Delete => String::new(),
        Write::Status { state, description } => {
            let mut body = serde_json::json!({ "state": state.as_str() });
            if !description.is_empty() {
                body["description"] = serde_json::Value::from(description.as_str());
            }
            body.to_string()
        }
    }
}

/// The script's constant part. It reads its steps from descriptor 3 (a here-document after it), so curl and
/// everything else keep their standard input.
pub const BODY: &str = r#"INACTIVE='{"state":"inactive","description":"Marked inactive by Deploydeck before deleting it"}'

set -u

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*"; }

if [ -z "${DRY_RUN:-}" ]; then
  if [ -z "${GITHUB_TOKEN:-}" ]; then
    echo "GITHUB_TOKEN is not set. Export a token that may write deployments on $REPO (classic: repo, or repo_deployment for a public repository; fine-grained: Deployments, read and write), then run this again." >&2
    exit 2
  fi
  case $GITHUB_TOKEN in
    *[!A-Za-z0-9_.-]*)
      echo "GITHUB_TOKEN holds characters no GitHub token has (a space, a quote, a line break?): check what was exported, then run this again." >&2
      exit 2 ;;
  esac
  if ! command -v curl >/dev/null 2>&1; then
    echo "This script sends its requests with curl, which is not installed here: install it, then run this again." >&2
    exit 2
  fi
  if ! touch "$STATE" 2>/dev/null; then
    echo "Cannot write $STATE, where finished steps are noted: run this from a folder you can write to, or set DEPLOYDECK_STATE to a file you can." >&2
    exit 2
  fi
fi
TMP=$(mktemp -d) || exit 2
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM
HDR="$TMP/headers"
OUT="$TMP/body"

# send METHOD PATH [JSON]: prints the answer's status code (000: no answer); headers in $HDR, body in $OUT.
# -q: no ~/.curlrc. Redirects are not followed: the token goes to $API and nowhere else.
send() {
  method=$1 path=$2
  : >"$HDR"
  : >"$OUT"
  if [ $# -ge 3 ]; then set -- --header 'Content-Type: application/json' --data "$3"; else set --; fi
  printf 'header = "Authorization: Bearer %s"\n' "$GITHUB_TOKEN" |
    curl -q --silent --config - --request "$method" \
      --header 'Accept: application/vnd.github+json' --header 'X-GitHub-Api-Version: 2022-11-28' \
      --user-agent 'deploydeck-cleanup-script' "$@" --max-time 60 \
      --dump-header "$HDR" --output "$OUT" --write-out '%{http_code}' "$API$path"
}

# The last answer's header $1 (a lower-case name).
header() {
  tr -d '\r' <"$HDR" | tr '[:upper:]' '[:lower:]' | sed -n "s/^$1: *//p" | tail -n 1
}

# The last answer's message, printable characters only.
message() {
  sed -n 's/.*"message" *: *"\([^"]*\)".*/\1/p' "$OUT" | head -n 1 | tr -d '\000-\037\177' | cut -c 1-300
}

BACKOFF=60
# After a 403 or 429: when it is a rate limit, waits as GitHub says and answers 0; otherwise answers 1.
# A wait is never shorter than a second nor longer than an hour (no GitHub limit lasts longer); a reset already
# past by this computer's clock (a clock running ahead), a Retry-After of 0 or no usable time gets a minute,
# then twice as long each time, up to 15 minutes: never the same request again at once.
wait_for_limit() {
  retry=$(header retry-after)
  remaining=$(header x-ratelimit-remaining)
  reset=$(header x-ratelimit-reset)
  case $retry in ''|*[!0-9]*) retry= ;; esac
  case $reset in ''|*[!0-9]*) reset= ;; esac
  # Numbers too long for the shell's arithmetic are more than an hour away anyway.
  if [ ${#retry} -gt 9 ]; then retry=999999999; fi
  if [ ${#reset} -gt 12 ]; then reset=999999999999; fi
  secs=
  if [ -n "$retry" ] && [ "$retry" -gt 0 ]; then
    secs=$retry why="GitHub asked to wait (Retry-After)"
  elif [ "$remaining" = 0 ] && [ -n "$reset" ]; then
    secs=$((reset - $(date +%s) + 1)) why="the token's hourly rate limit is used up until it resets"
    if [ "$secs" -lt 1 ]; then
      secs='' why="the rate limit's reset time has already passed by this computer's clock (is it running ahead?)"
    fi
  elif grep -qi 'rate limit' "$OUT"; then
    why="GitHub's secondary rate limit"
  else
    return 1
  fi
  if [ -z "$secs" ]; then
    secs=$BACKOFF
    BACKOFF=$((BACKOFF * 2))
    if [ "$BACKOFF" -gt 900 ]; then BACKOFF=900; fi
  fi
  if [ "$secs" -gt 3600 ]; then
    secs=3600 why="$why, for more than an hour, longer than any GitHub limit lasts"
  fi
  log "    waiting $secs s: $why; then the same request again"
  sleep "$secs"
}

PAUSE=0
# write STEP ID: one request (after the pause the one before asks for), sent again while GitHub says to wait
# or gives no usable answer; its code in CODE. A refused token or permission stops the script: every later
# step would be refused too.
write() {
  tries=0
  while :; do
    if [ "$PAUSE" -gt 0 ]; then sleep "$PAUSE"; fi
    if [ "$1" = inactive ]; then
      CODE=$(send POST "/repos/$REPO/deployments/$2/statuses" "$INACTIVE") PAUSE=$STATUS_GAP
    elif [ "$1" = status ]; then
      CODE=$(send POST "/repos/$REPO/deployments/$2/statuses" "$STATUS") PAUSE=$STATUS_GAP
    else
      CODE=$(send DELETE "/repos/$REPO/deployments/$2") PAUSE=$GAP
    fi
    case $CODE in
      401)
        log "$AT: GitHub refused the token (401: $(message)). Export a working token in GITHUB_TOKEN and run this again; finished steps are skipped."
        exit 1 ;;
      403|429)
        if wait_for_limit; then continue; fi
        log "$AT: refused ($CODE: $(message)). The token must be allowed to write deployments on $REPO (classic: repo, or repo_deployment; fine-grained: Deployments, read and write). Fix that and run this again; finished steps are skipped."
        exit 1 ;;
      [0-9][0-9][0-9]) case $CODE in 5*|000) ;; *) break ;; esac ;;
      *) CODE=000 ;;
    esac
    tries=$((tries + 1))
    if [ "$tries" -gt 3 ]; then break; fi
    log "    no usable answer ($CODE): the same request again in $((tries * 5)) s"
    sleep $((tries * 5))
  done
  BACKOFF=60
}

note() { printf '%s\n' "$1" >>"$STATE"; }

# run STEP ID: the step, then what became of it, in one line.
run() {
  write "$1" "$2"
  if [ "$1" = delete ] && [ "$CODE" = 422 ] && grep -q 'active deployment' "$OUT"; then
    log "$AT: GitHub refused to delete it while active: an \"inactive\" status first, then the deletion again"
    write inactive "$2"
    case $CODE in 2??) write delete "$2" ;; esac
  fi
  case $CODE in
    2??)
      note "$1 $2"
      case $1 in
        inactive) log "$AT: \"inactive\" status posted" ;;
        status) log "$AT: status posted" ;;
        *) log "$AT: deleted" ;;
      esac ;;
    404)
      note "$1 $2"
      if [ "$1" = inactive ]; then note "delete $2"; fi
      GONE=$2
      log "$AT: already gone" ;;
    *)
      FAILED=$((FAILED + 1))
      if [ "$1" = inactive ]; then SKIP=$2; fi
      log "$AT: failed ($CODE: $(message)); run this again to retry it" ;;
  esac
}

N=0 FAILED=0 SKIP='' GONE=''
if [ -n "${DRY_RUN:-}" ]; then
  log "Deploydeck cleanup of $REPO at $API: $TOTAL steps; DRY_RUN is set, so nothing is sent."
else
  log "Deploydeck cleanup of $REPO at $API: $TOTAL steps; finished ones are noted in $STATE."
fi
while read -r kind id <&3; do
  N=$((N + 1))
  AT="[$N/$TOTAL] $kind $id"
  if [ "$id" = "$GONE" ]; then
    log "$AT: already gone"
  elif grep -qxF "$kind $id" "$STATE" 2>/dev/null; then
    log "$AT: done by an earlier run"
  elif [ "$id" = "$SKIP" ]; then
    log "$AT: not sent, as its \"inactive\" status failed"
  elif [ -n "${DRY_RUN:-}" ]; then
    log "$AT: would be sent"
  else
    run "$kind" "$id"
  fi
done 3<<'PLAN'
"#;

/// After the steps: the outcome in a line, and the exit code (0: every step done).
const END: &str = r#"PLAN
if [ "$FAILED" -gt 0 ]; then
  log "$FAILED of $TOTAL steps failed (see above). Run this again to retry them: finished steps are skipped."
  exit 1
fi
if [ -z "${DRY_RUN:-}" ]; then
  log "Every step of the plan is done. $STATE lists them; delete it once you no longer need to run this again."
fi
"#;

#[cfg(test)]
mod tests;
