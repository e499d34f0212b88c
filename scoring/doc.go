// Package scoring knows rating scales, turns what a contact replied into a
// score, and aggregates scores into the figures managers read.
//
// It is a leaf package: it imports nothing else of surveyflow. Localized
// label words reach it as plain data (see [NewParser]), so the same parser
// understands "muy satisfecho", "très satisfait" and "очень доволен" without
// knowing where those words came from.
//
// # Scales
//
// Built-in scales, found by [ScaleByID] or listed by [Scales]; option label
// keys are "<scaleID>.<value>":
//
//	ID          values  satisfied  bands (negative / neutral / positive)
//	csat5       1–5     4–5        dissatisfied 1–2 / neutral 3 / satisfied 4–5    keycaps 1️⃣…5️⃣
//	emoji5      1–5     4–5        as csat5; faces 😡 🙁 😐 🙂 😄, red … dark green
//	nps10       0–10    9–10       detractor 0–6 / passive 7–8 / promoter 9–10
//	nps10from1  1–10    9–10       low 1–6 / medium 7–8 / high 9–10
//	ces7        1–7     5–7        difficult 1–3 / neutral 4 / easy 5–7
//	thumbs      0–1     1          down 0 / up 1                                   👎 👍
//
// [NewScale] builds a custom scale (range, options, satisfied values,
// bands) and rejects an inconsistent one with an error naming the problem.
//
// # Replies
//
// [Parser.Parse] reads digits in free text ("I'd give a 4", "4/5", "10"),
// keycaps, full-width and other Unicode decimal digits, star strings, the
// scale's face emoji, button payloads ("rating:5"), label words with case
// and accents folded, the longest first, and, given [WithNumberWords], the
// numbers written as words ("nueve", "девять", "un neuf" → 9). Everything
// it finds must agree; otherwise it returns an error the engine re-prompts
// on: [ErrNoScore], [ErrAmbiguous] or [ErrOutOfRange].
//
// # Figures
//
// A [Summary] counts scores on one scale with an allocation-free Add and
// reports count, sum (the "CSAT score"), mean, distribution and
// shares, satisfied count and CSAT %, NPS with promoters / passives /
// detractors (high / medium / low on the 1–10 scale), band counts,
// response rate and response times; summaries of disjoint sets
// [Summary.Merge] exactly into the summary of their union. [Summary.SatisfiedInterval] (Wilson) and
// [Summary.NPSInterval] (adjusted Wald) give confidence intervals with a
// too-few-responses flag, and [Table.Rank] ranks rows by the lower bound.
// A [Grouper] (or [Group]) aggregates [Response] records in one pass by
// agent (all participants, last agent or assignee at rating), group,
// channel, survey, day, ISO week or month in a time zone.
//
// # Benchmarks
//
// Measured with
//
//	go test -run '^$' -bench . -benchmem -count 5 ./scoring
//
// on a shared 2-core virtual machine (AMD, Go 1.26, amd64); medians of 5
// runs, each with its ratio to the baseline measured in the same run.
// Absolute times on that machine vary by up to 2× between runs; the
// ratios and allocation counts are the figures to rely on. The parser and
// Add rows were taken under a load average of about 7, the Group1M rows
// on the idle machine (load below 1).
//
//	benchmark                         median        allocs/op  ratio
//	BaselineAtoi  strconv.Atoi("5")        7.4 ns   0          1
//	Parse/digit   "5"                     10.2 ns   0          1.4 × Atoi
//	Parse/keycap  "5️⃣"                  242   ns   0           33 × Atoi
//	Parse/words   "muy satisfecho"       186   ns   0           25 × Atoi
//	Parse/comment500 (no score)       18 500   ns   5          about half is NFKD of the accented text
//	BaselineCounter  dist[v]++             1.4 ns   0          1
//	SummaryAdd                             2.8 ns   0          2.0 × counter
//	TableAddExistingKey                   12.9 ns   0          one map lookup
//	BaselineSum1M  one Summary             8.1 ns/response     1
//	Group1M/agent/all-participants        30.7 ns/response     3.8 × (about 2 agents per response)
//	Group1M/agent/last-agent              12.1 ns/response     1.5 ×
//	Group1M/agent/last-agent/unshared-ids 25.5 ns/response     3.1 × (every ID in storage of its own)
//	Group1M/group                         11.2 ns/response     1.4 ×
//	Group1M/day                           14.9 ns/response     1.8 ×
//
// Grouping a million responses is one pass over the slice; the few
// hundred allocations per million responses are the rows (200 agents,
// 20 groups, 90 days) and the map growing, none per response. A
// [Grouper] finds a key's row by where the key's bytes are stored before
// it hashes the key, so responses whose IDs share storage (decoded once
// per distinct ID, interned, generated) skip the hash: the unshared-ids
// row is the same data with every agent ID copied into storage of its
// own, where every response pays for one map look-up.
package scoring
