package campaign

// Part "paper": letters, postcards and address labels as print-ready PDF.
