# `collection import` on what curators actually type: a record file named bare, standing in the
# current folder, whose relative scan paths must resolve there; and records whose id is repeated,
# reported at the line of the repeat, naming the line of the record it replaces.
function(run)
    execute_process(COMMAND ${ARGN} WORKING_DIRECTORY ${WORK} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
    set(status ${status} PARENT_SCOPE)
    set(out "${out}" PARENT_SCOPE)
    set(err "${err}" PARENT_SCOPE)
endfunction()
function(expect what pattern)
    if(NOT status EQUAL 0 OR NOT "${out}\n${err}" MATCHES "${pattern}")
        message(FATAL_ERROR "${what} (exit ${status}) does not match '${pattern}':\n${out}\n${err}")
    endif()
endfunction()

file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK}/scans)
file(WRITE ${WORK}/scans/x.glb "")
file(WRITE ${WORK}/m.json [=[{"institution": "hall", "columns": {"No": "objectNumber", "Title": "title", "Scan": "model"}}]=])
file(WRITE ${WORK}/records.csv "No,Title,Scan\nb1,Bust of a man,scans/x.glb\nb2,Bust of a woman,scans/x.glb\n")

# A bare file name is in the current folder: its relative scan paths resolve against it.
run(${VITRINE} collection import records.csv --mapping m.json --catalog c.db)
expect("bare-name import" "2 records read from 1 sources: 2 new")
if(err MATCHES "media refused")
    message(FATAL_ERROR "a bare record file name refused its relative scan paths:\n${err}")
endif()
run(${VITRINE} collection show c.db hall:b1)
expect("show hall:b1" "media +model ${WORK}/scans/x\\.glb")

# The same LIDO file imported twice: each repeat names its own line and the line it replaces.
set(lido ${CORPUS}/metadata/lido/LIDO-Test.xml)
run(${VITRINE} collection import ${lido} ${lido} --catalog lido.db)
expect("LIDO imported twice" "1 records read from 2 sources")
expect("LIDO imported twice"
       "LIDO-Test\\.xml:4: warning: id '[^']+' was read before at [^ ]*LIDO-Test\\.xml:4; this record replaces it")

# One file holding the same record twice: both lines.
file(READ ${lido} text)
string(FIND "${text}" "  <lido:lido>" begin)
string(FIND "${text}" "</lido:lidoWrap>" end)
string(SUBSTRING "${text}" ${begin} -1 tail)
string(FIND "${tail}" "</lido:lido>" length)
math(EXPR length "${length} + 13")  # through "</lido:lido>\n"
string(SUBSTRING "${text}" ${begin} ${length} record)
string(SUBSTRING "${text}" 0 ${end} head)
file(WRITE ${WORK}/twice.xml "${head}${record}</lido:lidoWrap>\n")
run(${VITRINE} collection import twice.xml --catalog twice.db)
expect("LIDO record repeated in one file" "twice\\.xml:210: warning: id '[^']+' was read before at twice\\.xml:4; this record replaces it")
message(STATUS "bare record file names and repeated ids as expected")
