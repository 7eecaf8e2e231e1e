// Where the virtual terminal page lives (sandbox). A linked terminal's page carries its
// credential in the fragment, which browsers never send to the server (nor to its logs).
export const VIRTUAL_TERMINAL_PATH = '/p/terminal';

export function virtualTerminalUrl(baseUrl: string, credential: string): string {
  return `${baseUrl}${VIRTUAL_TERMINAL_PATH}#credential=${encodeURIComponent(credential)}`;
}
