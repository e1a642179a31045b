package web

import (
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/i18n"
)

// MyDataPatch is the check of the customer's profile form (/my/data),
// for its fuzz test.
func MyDataPatch(name, language, day, month string, lang i18n.Lang, languages []string) (customer.Patch, map[string]string) {
	return myDataForm{Name: name, Language: language, BirthDay: day, BirthMonth: month}.patch(lang, languages)
}

// MyConsentPatch is myConsentPatch, for its fuzz test.
var MyConsentPatch = myConsentPatch
