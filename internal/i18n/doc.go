// Package i18n holds every text shopcare shows a customer, in English,
// Russian and Latvian, and formats numbers of days and dates the way each
// language writes them.
//
// Messages live in locales/<lang>.yaml, one file per language, embedded in
// the binary and loaded once when the package is initialised; a broken file
// stops the program at start rather than at the first message sent. The
// files use the go-i18n v2 format, so the plural form of a text with a
// number follows the CLDR rules of its language: Russian has one, few, many
// and other (1 день, 2 дня, 5 дней, 1,5 дня), Latvian has zero, one and
// other (10 dienu, 21 diena, 2 dienas), English one and other. How to add a
// message is written at the top of each file.
//
// Month and weekday names are Go tables in this package rather than
// messages: they are grammar (the genitive of a Russian month after a day
// number), not wording a shop would change.
//
// Every function takes a Lang; a Lang this package does not know is treated
// as English, so a bad stored preference degrades to a readable text rather
// than an error in the middle of sending a notification.
package i18n
