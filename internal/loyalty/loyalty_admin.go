package loyalty

// PlausibleCode tells whether code, as a person may type it, has the
// shape of a referral or coupon code: 4 to 32 Latin letters and digits
// once spaces and dashes are dropped. A path or a form refuses anything
// else before it reaches the store, where PostgreSQL answers a NUL byte
// in a text with an error rather than a miss.
func PlausibleCode(code string) bool { return ownCode.MatchString(NormalizeCode(code)) }
