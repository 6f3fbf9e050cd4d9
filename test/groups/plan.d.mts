export declare const TEST_DIR: string;
export declare const GROUPS: number;
export declare const STANDALONE: ReadonlySet<string>;
export declare function groupedSuites(): string[];
export declare function groupMembers(n: number): string[];
export declare const BROWSER_GROUPS: number;
export declare const BROWSER_STANDALONE: ReadonlySet<string>;
export declare function browserGroupedSuites(): string[];
export declare function browserGroupMembers(n: number): string[];
