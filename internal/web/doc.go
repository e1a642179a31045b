// Package web serves shopcare's HTML pages: for now the customer's order
// tracking page at /t/{token}; the admin app will join it here.
//
// Pages are html/template files embedded in the binary and parsed once,
// when the package is initialised, so a broken template stops the program
// at start rather than at the first visitor. Every visible text goes
// through package i18n in the visitor's language. Static assets are
// embedded too and served under content-hashed URLs
// (/static/app.3f9c0a1b2d4e.css), so browsers may keep them for a year and
// still never see a stale one after an upgrade. Pages need no JavaScript
// and load nothing from other origins, which lets the Content-Security-Policy
// be strict.
package web
