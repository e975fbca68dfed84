/** The same keys as the English catalogue, every value a string: a missing Japanese key fails typecheck. */
export type Catalogue<T> = { [K in keyof T]: T[K] extends string ? string : Catalogue<T[K]> }
