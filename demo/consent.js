// The demo site's own consent banner, as any site has one. It talks to the widget only
// through the `lodestone` global; calls made before w.js has loaded wait in a queue.
window.lodestone =
  window.lodestone ||
  function () {
    ;(window.lodestone.q = window.lodestone.q || []).push(arguments)
  }

const CHOICE = 'demo-consent'

function decide(granted) {
  // The banner's own record of the choice is the site's business (a strictly necessary entry).
  localStorage.setItem(CHOICE, granted ? 'yes' : 'no')
  window.lodestone('consent', { tracking: granted })
  document.getElementById('consent').hidden = true
}

const stored = localStorage.getItem(CHOICE)
if (stored) window.lodestone('consent', { tracking: stored === 'yes' })

document.addEventListener('DOMContentLoaded', () => {
  const banner = document.getElementById('consent')
  if (!banner) return
  banner.hidden = Boolean(stored)
  banner.addEventListener('click', (event) => {
    const answer = event.target.closest('[data-consent]')
    if (answer) decide(answer.dataset.consent === 'yes')
  })
  document.getElementById('consent-reset')?.addEventListener('click', () => {
    banner.hidden = false
  })
})
