-- End-to-end test with a real editor: Neovim (headless) starts `deploylint lsp`, opens a uWSGI ini
-- with a quoted number, waits for the uwsgi-quoted-value diagnostic, applies its quick fix through
-- vim.lsp.buf.code_action, waits for the re-lint to clear the diagnostic, and writes the buffer's
-- text to DEPLOYLINT_E2E_RESULT for the jest test to check. Every wait is bounded; a failed one
-- ends Neovim with exit status 1 and says what it waited for.
--
-- Works with Neovim 0.7 (Debian 12: vim.lsp.start_client, a vim.ui.select that picks the action)
-- and 0.8+ (vim.lsp.start, code_action{apply = true, filter = ...}).
local env = vim.env
local root, file, bin, node, result = env.DEPLOYLINT_E2E_ROOT, env.DEPLOYLINT_E2E_FILE, env.DEPLOYLINT_BIN, env.DEPLOYLINT_NODE, env.DEPLOYLINT_E2E_RESULT
local WAIT_MS = 60000

local function say(msg)
  io.stdout:write(msg .. '\n')
  io.stdout:flush()
end

local function fail(msg)
  io.stderr:write('E2E FAIL: ' .. msg .. '\n')
  io.stderr:flush()
  vim.cmd('cquit! 1')
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local config = {
    name = 'deploylint',
    cmd = { node, bin, 'lsp', '--stdio' },
    root_dir = root,
    init_options = { debounceMs = 20 },
  }
  local client_id
  if vim.lsp.start then
    client_id = vim.lsp.start(config)
  else
    client_id = vim.lsp.start_client(config)
    if client_id then vim.lsp.buf_attach_client(bufnr, client_id) end
  end
  if not client_id then return fail('deploylint lsp did not start') end
  say('started client ' .. client_id)

  local finding
  local function quoted()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.code == 'uwsgi-quoted-value' then return d end
    end
    return nil
  end
  if not vim.wait(WAIT_MS, function() finding = quoted(); return finding ~= nil end, 50) then
    return fail('no uwsgi-quoted-value diagnostic after ' .. WAIT_MS .. ' ms; diagnostics: ' .. vim.inspect(vim.diagnostic.get(bufnr)))
  end
  say(string.format('diagnostic %s at %d:%d: %s', finding.code, finding.lnum + 1, finding.col + 1, finding.message))

  vim.api.nvim_win_set_cursor(0, { finding.lnum + 1, finding.col })
  local wanted = 'Remove the quotes (uwsgi-quoted-value)'
  local offered = {}
  if vim.fn.has('nvim-0.8') == 1 then
    vim.lsp.buf.code_action({ apply = true, filter = function(action) table.insert(offered, action.title); return action.title == wanted end })
  else
    vim.ui.select = function(items, _, on_choice)
      for _, item in ipairs(items) do
        table.insert(offered, item[2].title)
        if item[2].title == wanted then return on_choice(item) end
      end
      on_choice(nil)
    end
    vim.lsp.buf.code_action()
  end

  local line = finding.lnum
  local expected = 'socket-timeout = 30'
  if not vim.wait(WAIT_MS, function() return vim.api.nvim_buf_get_lines(bufnr, line, line + 1, false)[1] == expected end, 50) then
    return fail('the quick fix was not applied after ' .. WAIT_MS .. ' ms; actions offered: ' .. vim.inspect(offered) .. '; line ' .. (line + 1) .. ': ' .. vim.inspect(vim.api.nvim_buf_get_lines(bufnr, line, line + 1, false)[1]))
  end
  say('applied: ' .. wanted)

  -- the edit is a didChange: the server lints the new text and the diagnostic goes
  if not vim.wait(WAIT_MS, function() return quoted() == nil end, 50) then
    return fail('uwsgi-quoted-value still reported ' .. WAIT_MS .. ' ms after the fix')
  end
  say('diagnostic cleared')

  vim.fn.writefile(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), result)
  vim.lsp.stop_client(client_id)
  vim.wait(5000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
  say('E2E OK')
  vim.cmd('qall!')
end)
if not ok then fail('error in the test script: ' .. tostring(err)) end
