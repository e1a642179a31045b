// Package event names everything that happens in shopcare that other parts
// react to: the kinds of event the journal records and, for each kind, the
// type of its payload and the version of that payload's shape.
//
// It sits below every domain package and imports only the standard
// library, so the package that writes an event (order, parcel, loyalty,
// customer, inbox, analytics) and the packages that react to it (playbook,
// webhook, loyalty, the connector write-back, the analytics roll-up) share
// one declaration: renaming a field is a compile error in every consumer,
// not a message that silently loses a value.
//
// Payloads hold plain values only (strings, integers, booleans, times and
// slices or maps of them), never a domain type: a payload is stored in the
// journal for years and sent to shops' webhooks as it is, so its JSON is a
// contract. The kind strings and JSON field names never change; a payload
// only ever gains fields. A change that cannot be made by adding a field
// raises the kind's Version, and the decoder keeps reading the rows
// written before it (the golden files in testdata are such rows).
package event
