// The part of jsfive (github.com/usnistgov/jsfive, a pure-JS HDF5 reader) that keras-h5.ts uses;
// the package ships no type declarations.
declare module 'jsfive' {
  export class Group {
    readonly keys: string[];
    readonly attrs: Record<string, unknown>;
    get(path: string): Group | Dataset;
  }
  export class File extends Group {
    constructor(buffer: ArrayBuffer, filename?: string);
  }
  export class Dataset {
    readonly shape: number[];
    /** '<f4', '>f8', … for numbers; an array or object for compound, string and reference types. */
    readonly dtype: unknown;
    readonly attrs: Record<string, unknown>;
    readonly value: ArrayLike<number>;
  }
}
