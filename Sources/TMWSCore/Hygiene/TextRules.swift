// Text rules that read every word of every write live in their own module, built optimised in
// every configuration: the instruction detector, and the duplicate check's shingles and
// MinHash. Everything that imports TMWSCore sees them.
@_exported import TMWSTextRules
