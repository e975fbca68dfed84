// Types of app/lib/markdown-render.mjs, which is plain JavaScript so that the render workers load it
// under plain `node`.
export declare const MAX_NESTING: number
export declare function renderHtml(markdown: string): string
export declare function fallbackHtml(markdown: string): string
export declare function capNesting(markdown: string, maxDepth?: number): string
export declare function isUploadPath(url: string): boolean
