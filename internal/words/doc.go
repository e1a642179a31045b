// Package words reads customers' own words in Russian, Latvian and
// English: it splits a text into words, leaves out the ones too common to
// mean anything (stop words), stems the rest so that a word's grammatical
// forms count as one (доставка, доставки, доставкой → доставк; piegāde,
// piegādes → piegād), and finds the themes of many short texts.
//
// Russian and English are stemmed with the Snowball stemmers
// (github.com/kljensen/snowball), Latvian with a light stemmer of our own
// that strips a noun or adjective case ending (stem_lv.go).
//
// Themes (themes.go) are the words and two- or three-word phrases that
// rise in a period against the one before, per language: a survey's
// "курьер опоздал" that ten customers wrote this month and one the month
// before. Each is shown in the form customers wrote most often, with the
// texts that carry it. A negation is kept with its word ("не пришёл",
// "nav atnācis", "not fresh"), since it turns a compliment into a
// complaint.
package words
