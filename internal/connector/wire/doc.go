// Package wire holds what the InSales, Tilda and Ecwid adapters share about
// talking to a platform: REST calls that honour the platform's rate limits
// (429/503 with Retry-After, waited through connector.Options.Wait),
// decimals that arrive as JSON strings or numbers, the secret compared in
// constant time, and the few names (cash on delivery) every platform spells
// its own way.
package wire
