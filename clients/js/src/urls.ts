// Which node to connect to: one URL, a list to fail over between, or a function that chooses.

export interface UrlContext {
  /** 0 for the first attempt after a connection was up (or the very first), then 1, 2 … while attempts fail. */
  attempt: number;
  /** The URL of the previous attempt or connection, if any. */
  previousUrl?: string;
  /** Why the previous connection or attempt ended, if it did with an error. */
  error?: Error;
}

/**
 * `string`: always this hub URL. `string[]`: the first, then the next one (round robin) after every lost connection
 * and every failed attempt, so that a client fails over to another node. A function: called before every attempt.
 */
export type UrlOption = string | readonly string[] | ((context: UrlContext) => string | Promise<string>);

export class UrlSelector {
  private index = -1;

  constructor(private readonly option: UrlOption) {
    if (typeof option === 'string') {
      if (!option) {
        throw new TypeError('url must not be empty');
      }
    } else if (Array.isArray(option)) {
      if (option.length === 0 || option.some((url) => typeof url !== 'string' || !url)) {
        throw new TypeError('url must be a non-empty list of non-empty strings');
      }
    } else if (typeof option !== 'function') {
      throw new TypeError('url must be a string, a list of strings or a function');
    }
  }

  /** The URL of the next attempt. */
  async next(context: UrlContext): Promise<string> {
    const option = this.option;
    if (typeof option === 'string') {
      return option;
    }

    if (typeof option === 'function') {
      const url = await option(context);
      if (typeof url !== 'string' || !url) {
        throw new TypeError(`the url function returned ${JSON.stringify(url)}, not a URL`);
      }

      return url;
    }

    const list = option as readonly string[];
    this.index = (this.index + 1) % list.length;
    return list[this.index];
  }
}
