// The new token's clipboard and manual-copy helpers. Copying is CopyButton's (clipboard API, then the
// older copy command); when both fail, the panel reveals the token and selects it for Ctrl+C.
export { copyText } from '../../Shared/CopyButton.razor.js';

export function selectText(element) {
    if (!element) {
        return;
    }
    const range = document.createRange();
    range.selectNodeContents(element);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    element.focus();
}
