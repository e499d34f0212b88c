// Package eligibility holds the rules that decide who gets a survey. Each
// rule implements survey.Rule and explains every failure with a stable code,
// its name and a sentence with the numbers, so a support lead can answer
// "why did this customer not get a survey?".
//
// [Seed000] returns the three rules of the Sirena Bots product: answered by
// an agent, a transcript longer than 250 characters, and closed within 24
// hours of the contact's last message.
package eligibility
