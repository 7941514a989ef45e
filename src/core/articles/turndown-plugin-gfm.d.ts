// Types for the GFM plugin of turndown (the package ships none). Only the
// plugins the article converter uses are declared.
declare module '@joplin/turndown-plugin-gfm' {
  import type TurndownService from 'turndown';

  export const tables: TurndownService.Plugin;
  export const strikethrough: TurndownService.Plugin;
}
