// Package faq holds the questions and answers a shop writes for its
// customers' help page (/my/help), per language and in sections, and the
// search across them.
//
// The search stems words so that a customer asking about «доставкой» finds
// the answer about «доставка»: Russian and English with the Snowball
// stemmers (github.com/kljensen/snowball), Latvian with a light stemmer of
// our own that strips a noun or adjective case ending (package words). A
// shop's FAQ is tens of entries, a few hundred at most, so the search reads
// a language's entries and ranks them in memory: a match in the question
// weighs more than one in the answer. No SQL full-text search is shared by
// SQLite and PostgreSQL, and neither stems Latvian.
//
// Every search is counted in faq_searches by its normalised words, with
// whether it found anything, so the admin can list the most-searched
// questions the FAQ does not answer yet. A query with an e-mail address
// is not kept, nor numbers of four digits or more: the owner reads the
// list, and it must not collect customers' details.
package faq
