// Package scoring knows rating scales, turns what a contact replied into a
// score, and aggregates scores into the figures managers read.
//
// It is a leaf package: it imports nothing else of surveyflow. Localized
// label words reach it as plain data (see [NewParser]), so the same parser
// understands "muy satisfecho", "très satisfait" and "очень доволен" without
// knowing where those words came from.
package scoring
