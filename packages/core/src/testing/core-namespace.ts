/**
 * The public API as one object, for the program tools that look ops up by
 * name. They import this module's namespace, not the index's: a namespace
 * object of the index would be built in the chunk the main entry shares,
 * and its construction keeps every export alive in any bundle of any
 * program, defeating tree-shaking for users who never import the testing
 * tools (+24 KB gzip for a Value-only program, measured).
 */
export * from '../index';
