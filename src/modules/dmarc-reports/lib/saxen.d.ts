// The part of saxen's API (it ships no types) that the aggregate parser uses.
declare module 'saxen' {
  export interface SaxenContext {
    line: number;
    column: number;
    data: string;
  }
  type ContextGetter = () => SaxenContext;
  type Decode = (text: string) => string;
  export class Parser {
    constructor(options?: { proxy?: boolean });
    on(
      event: 'openTag',
      fn: (
        name: string,
        attrs: () => Record<string, string> | false,
        decode: Decode,
        selfClosing: boolean,
        context: ContextGetter,
      ) => void,
    ): this;
    on(
      event: 'closeTag',
      fn: (name: string, decode: Decode, selfClosing: boolean, context: ContextGetter) => void,
    ): this;
    on(
      event: 'text' | 'comment' | 'attention',
      fn: (value: string, decode: Decode, context: ContextGetter) => void,
    ): this;
    on(event: 'cdata' | 'question', fn: (value: string, context: ContextGetter) => void): this;
    on(event: 'error' | 'warn', fn: (err: Error, context: ContextGetter) => void): this;
    write(xml: string): this;
    end(): Error | undefined;
  }
}
